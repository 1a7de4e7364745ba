/**
 * Starts the browser's download of a presigned URL (the object's own name comes from S3's
 * `Content-Disposition`, which the backend sets when it signs). A module of its own so that
 * tests can observe it instead of navigating.
 */
export function startDownload(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
