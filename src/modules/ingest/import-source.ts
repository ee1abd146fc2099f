import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { refused } from './import-errors';

// Reading a CSV body as a stream of records (header first), never whole: bytes are counted
// against the limit as they arrive, decoded by iconv-lite and split by csv-parse. The encoding
// is the one declared (query parameter, then the Content-Type charset), else a byte-order mark's,
// else detected on the first 64 KiB: valid UTF-8 is UTF-8, anything else GB18030 (a superset of
// GBK and GB2312, what Chinese office software writes).

/** How much of the body is looked at to detect its encoding. */
const SNIFF_BYTES = 64 * 1024;

/** Longest record csv-parse will buffer (a missing closing quote otherwise swallows the file). */
const MAX_RECORD_CHARS = 64 * 1024;

export interface DecodedCsv {
  /** iconv-lite's name of the encoding read: utf-8, gb18030, gbk, utf-16le … */
  encoding: string;
  bom: boolean;
  /** The header record, then the data records, as csv-parse splits them. */
  records: AsyncIterable<string[]>;
}

/** The charset parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}

function knownEncoding(name: string): string {
  const normal = name.trim().toLowerCase();
  if (!iconv.encodingExists(normal)) throw refused('UNKNOWN_ENCODING', `unknown encoding "${name}": use utf-8, gbk or gb18030`, `不支持的编码“${name}”：请使用 utf-8、gbk 或 gb18030`);
  return normal === 'utf8' ? 'utf-8' : normal;
}

/** Whether `bytes` are UTF-8, allowing a character cut off at the end when more follows. */
function isUtf8(bytes: Buffer, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

// Control characters other than tab, CR and LF, and U+FFFD (bytes the encoding could not
// decode): a binary file, or text in another encoding than the one declared.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/**
 * Reads `body` as CSV. `declared` is the query parameter's encoding, `contentType` the request's
 * header. Refuses (typed errors, thrown by the returned iterable while it is read) a body over
 * `maxBytes`, bytes that are not text in the encoding, and malformed CSV (ragged rows, quotes).
 */
export async function readCsv(body: AsyncIterable<Buffer>, opts: { declared?: string; contentType?: string; maxBytes: number }): Promise<DecodedCsv> {
  const source = body[Symbol.asyncIterator]();
  let total = 0;
  const count = (chunk: Buffer) => {
    total += chunk.length;
    if (total > opts.maxBytes) {
      throw refused('BODY_TOO_LARGE', `the body is larger than the limit of ${opts.maxBytes} bytes (IMPORT_MAX_BYTES); split the file into batches`, `文件超过 ${opts.maxBytes} 字节的上限，请分批导入`, { limit: opts.maxBytes });
    }
  };
  // The first bytes, kept to detect the encoding and replayed in front of the rest.
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    count(chunk);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const start = Buffer.concat(head);
  let bom = false;
  let bomEncoding: string | undefined;
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) bomEncoding = 'utf-8';
  else if (start[0] === 0xff && start[1] === 0xfe) bomEncoding = 'utf-16le';
  else if (start[0] === 0xfe && start[1] === 0xff) bomEncoding = 'utf-16be';
  if (bomEncoding) bom = true;
  const declared = opts.declared ?? charsetOf(opts.contentType);
  const encoding = declared ? knownEncoding(declared) : (bomEncoding ?? (isUtf8(start, ended) ? 'utf-8' : 'gb18030'));

  async function* bytes(): AsyncGenerator<Buffer> {
    yield start;
    if (ended) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      count(chunk);
      yield chunk;
    }
  }
  async function* text(): AsyncGenerator<string> {
    // iconv-lite strips a byte-order mark of the encoding it decodes.
    const decoder = iconv.getDecoder(encoding);
    let offset = 0;
    const check = (s: string) => {
      const m = NOT_TEXT.exec(s);
      if (m) {
        throw refused('NOT_TEXT', `the body is not ${encoding} text (a binary file, or another encoding: declare it with ?encoding=gbk or utf-8); bad character near character ${offset + m.index}`,
          `文件不是 ${encoding} 编码的文本（可能是二进制文件或其他编码，请用 ?encoding=gbk 或 utf-8 声明）`);
      }
      offset += s.length;
    };
    for await (const chunk of bytes()) {
      const s = decoder.write(chunk);
      if (s) {
        check(s);
        yield s;
      }
    }
    const rest = decoder.end();
    if (rest) {
      check(rest);
      yield rest;
    }
  }

  const parser = parse({ skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS, relax_column_count: false });
  const input = Readable.from(text(), { objectMode: false });
  input.on('error', (err) => parser.destroy(err));
  // The error is kept on the destroyed parser and thrown by its iterator, which may not exist yet
  // (the engine opens its transaction first): without a listener it would crash the process.
  parser.on('error', () => {});
  input.pipe(parser);
  async function* records(): AsyncGenerator<string[]> {
    try {
      for await (const record of parser) yield record as string[];
    } catch (err) {
      throw err instanceof CsvError ? csvRefusal(err) : err;
    } finally {
      input.destroy();
    }
  }
  return { encoding, bom, records: records() };
}

/** csv-parse's error as a typed refusal naming the line. */
function csvRefusal(err: CsvError): Error {
  const line = (err as CsvError & { lines?: number }).lines;
  const at = line ? ` (line ${line})` : '';
  const atZh = line ? `（第 ${line} 行）` : '';
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return refused('RAGGED_ROW', `a row has a different number of cells than the header${at}`, `某行的列数与表头不一致${atZh}`, { line });
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return refused('BAD_QUOTING', `a quoted cell is not closed properly${at}`, `引号未正确闭合${atZh}`, { line });
    case 'CSV_MAX_RECORD_SIZE':
      return refused('BAD_QUOTING', `a row is longer than ${MAX_RECORD_CHARS} characters (often a quote that is never closed)${at}`, `某行超过 ${MAX_RECORD_CHARS} 个字符（常见原因：引号未闭合）${atZh}`, { line });
    default:
      return refused('MALFORMED_CSV', `the body is not valid CSV${at}`, `文件不是有效的 CSV${atZh}`, { line });
  }
}
