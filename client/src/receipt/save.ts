// Saving text the reporter must keep (the case token, a receipt) without a server
// round trip: a Blob download, or the clipboard. Nothing is stored by the page.

/** Saves a file through a temporary link; the URL is revoked once the download has begun. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers `text` as a file download named `name`. */
export function downloadText(name: string, text: string, type = 'text/plain;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), name);
}

/** True when the browser let us copy. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
