// @ts-check
// Makes a screenshot smaller inside the service worker (OffscreenCanvas), so a too-large JPEG does not
// need another captureVisibleTab call (Chrome allows two a second, and the tab may have changed).

const JPEG_PREFIX = 'data:image/jpeg;base64,';

/** Base64 of bytes, in pieces (String.fromCharCode takes a limited number of arguments). */
export function bytesToBase64(bytes) {
  let binary = '';
  const piece = 0x8000;
  for (let i = 0; i < bytes.length; i += piece) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + piece));
  }
  return btoa(binary);
}

/** Bytes of a base64 data URL. */
export function dataUrlToBytes(dataUrl) {
  const comma = dataUrl.indexOf(',');
  const binary = atob(dataUrl.slice(comma + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** True where the worker can decode and encode images itself. */
export function canReencode(scope = globalThis) {
  return typeof scope.OffscreenCanvas === 'function' && typeof scope.createImageBitmap === 'function';
}

/** The JPEG data URL again at `quality` (0–100) and `scale` (0–1] of its size. */
export async function reencodeJpeg(dataUrl, quality, scale = 1) {
  const bitmap = await createImageBitmap(new Blob([dataUrlToBytes(dataUrl)], { type: 'image/jpeg' }));
  try {
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: quality / 100 });
    return JPEG_PREFIX + bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
  } finally {
    bitmap.close();
  }
}
