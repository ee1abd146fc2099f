import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { classifyDbError } from '../../src/core/db-errors';

// A transaction whose connection died (PostgreSQL killed or restarting) fails on its next
// statement with TypeORM's own error, not pg's: it is the database being unavailable, not a bug
// (issue 7 §5: requests during the restart answered INTERNAL_SERVER_ERROR).
describe('database errors that are not bugs', () => {
  it('classifies a statement on a runner released by a dead connection as SERVICE_UNAVAILABLE', () => {
    expect(classifyDbError(new QueryRunnerProviderAlreadyReleasedError())?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('classifies pg losing its connection as SERVICE_UNAVAILABLE and leaves an unknown error a bug', () => {
    expect(classifyDbError(new Error('Connection terminated unexpectedly'))?.code).toBe('SERVICE_UNAVAILABLE');
    expect(classifyDbError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))?.code).toBe('SERVICE_UNAVAILABLE');
    expect(classifyDbError(new Error('Cannot use a pool after calling end on the pool'))?.code).toBe('SERVICE_UNAVAILABLE');
    expect(classifyDbError(new TypeError('x is undefined'))).toBeNull();
  });
});
