// The one severity scale of the console: its words here, its colours in app.css (--sev-1 … --sev-5).
// The queue, the incident page, the banner, the forms and the dashboard all use these.
export const severityWords = {
  1: 'low concern',
  2: 'a concern',
  3: 'likely needs a conversation',
  4: 'risk of harm',
  5: 'immediate risk',
};

export const severities = [1, 2, 3, 4, 5];

/** "5 immediate risk". */
export function severityLabel(severity) {
  return `${severity} ${severityWords[severity] ?? 'unknown'}`;
}

/** A coloured badge saying the severity in words. */
export function severityBadge(severity) {
  const badge = document.createElement('span');
  badge.className = `sev sev-${severity}`;
  badge.textContent = severityLabel(severity);
  return badge;
}

/** The scale's colour for a severity, as app.css defines it (for the charts). */
export function severityColour(severity) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--sev-${severity}`).trim();
}
