import iconv from 'iconv-lite';

/**
 * CSV text (strings: a stringifier with setEncoding('utf8')) out as bytes in an iconv-lite
 * encoding, with that encoding's byte-order mark first when `bom` is set. What the CSV
 * downloads (exports, reports, import rejects) send.
 */
export function csvEncoder(encoding: string, bom: boolean): NodeJS.ReadWriteStream {
  return iconv.encodeStream(encoding, { addBOM: bom });
}
