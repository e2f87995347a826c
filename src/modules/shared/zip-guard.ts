/**
 * Refuses zip bombs before anything is inflated: XLSX files are zips, a 10 MB upload can unpack
 * to gigabytes and exceljs holds it all in memory. Reads only the zip's central directory.
 */
const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 5000;

/** Why the workbook may not be opened, or null when its directory is sound and small enough. */
export function zipSizeProblem(buffer: Buffer): string | null {
  const min = Math.max(0, buffer.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buffer.length - 22; i >= min; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) return 'the file is not an XLSX workbook (no zip directory)';
  const entries = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  if (entries > MAX_ZIP_ENTRIES) return `the workbook has too many parts (${entries})`;
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== 0x02014b50) return 'the workbook’s zip directory is damaged';
    const size = buffer.readUInt32LE(at + 24);
    if (size === 0xffffffff) return 'the workbook is too large when unpacked';
    total += size;
    at += 46 + buffer.readUInt16LE(at + 28) + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  if (total > MAX_UNCOMPRESSED_BYTES) return `the workbook unpacks to ${Math.round(total / 1048576)} MB; at most ${MAX_UNCOMPRESSED_BYTES / 1048576} MB`;
  return null;
}
