// Chromium's processes for one profile, from /proc (Linux). Elsewhere every figure is null.
import fs from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on every Linux Chromium runs on

function read(path) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

// [{pid, type, extension}] of the browser started with --user-data-dir=profileDir and its children
// (renderers, GPU, utilities carry the same flag on Linux).
export function chromiumProcesses(profileDir) {
  if (!fs.existsSync('/proc/self')) {
    return [];
  }
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    // Children rewrite their command line into one space-separated string: match on the text.
    const cmd = read(`/proc/${name}/cmdline`)?.replace(/\0/g, ' ');
    if (!cmd || !cmd.includes(`--user-data-dir=${profileDir} `)) {
      continue;
    }
    const type = cmd.match(/--type=(\S+)/)?.[1] ?? 'browser';
    const extension = / --extension-process /.test(cmd);
    out.push({ pid: Number(name), type, extension });
  }
  return out;
}

// Proportional set size (shared pages split among their users) and resident size, in KiB.
export function memoryKb(pid) {
  const rollup = read(`/proc/${pid}/smaps_rollup`);
  const field = (text, key) => {
    const m = text?.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  };
  if (rollup) {
    return { pss: field(rollup, 'Pss'), rss: field(rollup, 'Rss') };
  }
  return { pss: null, rss: field(read(`/proc/${pid}/status`), 'VmRSS') };
}

// User plus system CPU time the process has used, in ms (10 ms steps).
export function cpuMs(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
}
