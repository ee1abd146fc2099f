import { AppError } from '../../core/errors';

// Refusals of a whole batch (整批拒绝): the file cannot be read as the kind's column spec, or it
// is over a limit. Nothing is applied and no batch is recorded. Each carries a stable `reason`
// beside the code a client branches on, and a message in English and Chinese; problems of
// single rows are not errors but reject rows (import-engine.ts).

export type RefusalReason =
  | 'EMPTY_FILE'
  | 'NO_ROWS'
  | 'MISSING_COLUMN'
  | 'UNKNOWN_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'RAGGED_ROW'
  | 'BAD_QUOTING'
  | 'MALFORMED_CSV'
  | 'NOT_TEXT'
  | 'UNKNOWN_ENCODING'
  | 'BODY_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'BAD_BATCH_KEY'
  | 'BAD_MODE'
  | 'UNKNOWN_KIND';

/** A batch refused whole: BAD_USER_INPUT (400), or BAD_REQUEST (413) for a body over the limit. */
export function refused(
  reason: RefusalReason,
  message: string,
  messageZh: string,
  extra: { line?: number; row?: number; column?: string; limit?: number } = {},
): AppError {
  const tooLarge = reason === 'BODY_TOO_LARGE' || reason === 'TOO_MANY_ROWS';
  return new AppError(tooLarge ? 'BAD_REQUEST' : 'BAD_USER_INPUT', message, {
    reason,
    messageZh,
    ...extra,
    http: { status: reason === 'BODY_TOO_LARGE' ? 413 : 400 },
  });
}
