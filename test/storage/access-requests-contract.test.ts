import assert from 'node:assert/strict';
import { StaleAccessError } from '../../src/access/errors.js';
import type { AccessRequestRepository } from '../../src/access/repository.js';
import { withEvent, type AccessRequest } from '../../src/access/request.js';
import type { Stores } from '../../src/storage/open-stores.js';
import type { StoreFactory } from './contract.js';
import { onEveryStore } from './every-store.js';

// One contract for AccessRequestRepository, both stores: what the access domain relies on.

let seq = 0;
function request(o: Partial<AccessRequest> = {}): AccessRequest {
  const id = o.id ?? `a-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  const at = o.createdAt ?? '2026-10-05T08:00:00.000Z';
  return {
    id,
    number: seq,
    version: 1,
    draftId: `draft-${id}`,
    kind: 'ny',
    status: 'awaiting-manager',
    applicant: { id: 'aad-user-1', name: 'Anna Andersson', tenantId: 'tenant-1' },
    subject: {
      name: 'Nils Nyanställd',
      contact: 'nils@example.se',
      unit: 'Rehab',
      organisation: 'Västra Götalandsregionen',
    },
    role: 'Förskrivare',
    fromDate: '2026-11-01',
    manager: { id: 'aad-mgr-1', name: 'Maria Chef', email: null },
    routed: null,
    managerApproved: false,
    channel: null,
    createdAt: at,
    updatedAt: at,
    redactedAt: null,
    history: [
      { version: 1, kind: 'applied', at, by: { id: 'aad-user-1', name: 'Anna Andersson' } },
    ],
    ...o,
  };
}

const step = (r: AccessRequest, change: Partial<AccessRequest>, at = '2026-10-06T08:00:00.000Z') =>
  withEvent(r, { kind: 'approved', at, by: { id: 'aad-mgr-1', name: 'Maria Chef' } }, change);

function contract(factory: () => StoreFactory) {
  let stores: Stores;
  let repo: AccessRequestRepository;
  beforeEach(async () => {
    stores = await factory().open();
    repo = stores.accessRequests;
  });
  afterEach(async () => stores.close());

  it('saves, reads back after a restart, and finds by draft', async () => {
    const r = request({ number: await repo.nextNumber() });
    await repo.save(r);
    await stores.close();
    stores = await factory().reopen();
    repo = stores.accessRequests;
    assert.deepEqual(await repo.get(r.id), r);
    assert.deepEqual(await repo.byDraft(r.draftId), r);
    assert.equal(await repo.get('__proto__'), undefined);
    assert.equal(await repo.get('nope'), undefined);
    assert.ok((await repo.nextNumber()) > r.number, 'numbers go on after a restart');
  });

  it('saves only the version after the stored one; a stale save changes nothing and returns the current', async () => {
    const r = request({ number: await repo.nextNumber() });
    await repo.save(r);
    const approved = step(r, { status: 'at-support' });
    await repo.save(approved);
    const stale = step(r, { status: 'rejected' });
    await assert.rejects(repo.save(stale), (e: unknown) => {
      assert.ok(e instanceof StaleAccessError);
      assert.equal(e.current?.status, 'at-support');
      return true;
    });
    await assert.rejects(repo.save({ ...r, id: r.id }), StaleAccessError, 'version 1 again');
    assert.equal((await repo.get(r.id))?.version, 2);
  });

  it('lets one of two saves from the same version win', async () => {
    const r = request({ number: await repo.nextNumber() });
    await repo.save(r);
    const results = await Promise.allSettled([
      repo.save(step(r, { status: 'at-support' })),
      repo.save(step(r, { status: 'rejected' })),
    ]);
    assert.deepEqual(results.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
  });

  it('lists by applicant or manager, open ones, a quarter, and what may be redacted', async () => {
    const a = request({ number: await repo.nextNumber(), createdAt: '2026-07-01T10:00:00.000Z' });
    const b = request({
      number: await repo.nextNumber(),
      applicant: { id: 'aad-user-2', name: 'Bo', tenantId: 'tenant-1' },
      manager: { id: 'aad-mgr-2', name: 'Chef Två', email: 'chef2@example.se' },
      status: 'registered',
      updatedAt: '2026-08-01T10:00:00.000Z',
      createdAt: '2026-07-15T10:00:00.000Z',
    });
    await repo.save(a);
    await repo.save(b);
    assert.deepEqual(
      (await repo.listFor('aad-user-1')).map((r) => r.id),
      [a.id],
    );
    assert.deepEqual(
      (await repo.listFor('aad-mgr-2')).map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(
      (await repo.listOpen()).map((r) => r.id),
      [a.id],
    );
    const q3 = await repo.listCreatedBetween(
      new Date('2026-07-01T00:00:00.000Z'),
      new Date('2026-07-15T10:00:00.000Z'),
    );
    assert.deepEqual(
      q3.map((r) => r.id),
      [a.id],
      'from inclusive, to exclusive',
    );
    assert.deepEqual(
      (await repo.listRedactable(new Date('2026-09-01'))).map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(await repo.listRedactable(new Date('2026-07-01')), []);
  });

  it('searches the person concerned by name or contact, case-insensitive, literally', async () => {
    const a = request({ number: await repo.nextNumber() });
    const b = request({
      number: await repo.nextNumber(),
      subject: { name: 'Sara 100%', contact: 'SARA_X@example.se', unit: 'U', organisation: 'O' },
    });
    await repo.save(a);
    await repo.save(b);
    assert.deepEqual(
      (await repo.search('NYANSTÄLLD', 10)).map((r) => r.id),
      [a.id],
    );
    assert.deepEqual(
      (await repo.search('sara_x', 10)).map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(
      (await repo.search('100%', 10)).map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(await repo.search('_', 10).then((l) => l.map((r) => r.id)), [b.id]);
    assert.deepEqual(await repo.search('   ', 10), []);
    assert.equal((await repo.search('example', 1)).length, 1, 'at most max');
  });

  it('keeps the outbox bookkeeping: unnotified until marked, never backwards', async () => {
    const r = request({ number: await repo.nextNumber() });
    await repo.save(r);
    assert.deepEqual(
      (await repo.listUnnotified()).map((x) => [x.request.id, x.notified]),
      [[r.id, 0]],
    );
    await repo.markNotified(r.id, 1);
    assert.deepEqual(await repo.listUnnotified(), []);
    await repo.save(step(r, { status: 'at-support' }));
    await repo.markNotified(r.id, 0);
    assert.deepEqual(
      (await repo.listUnnotified()).map((x) => [x.request.id, x.notified]),
      [[r.id, 1]],
    );
  });

  it('remembers e-mail addresses, lower-case', async () => {
    await repo.rememberEmail('Maria.Chef@Example.se', 'aad-mgr-1');
    assert.equal(await repo.userByEmail('maria.chef@example.se'), 'aad-mgr-1');
    assert.equal(await repo.userByEmail('MARIA.CHEF@EXAMPLE.SE'), 'aad-mgr-1');
    await repo.rememberEmail('maria.chef@example.se', 'aad-mgr-9');
    assert.equal(await repo.userByEmail('maria.chef@example.se'), 'aad-mgr-9');
    assert.equal(await repo.userByEmail('okand@example.se'), undefined);
    assert.equal(await repo.userByEmail('__proto__'), undefined);
  });

  it('stores a NUL someone pasted without failing', async () => {
    const r = request({ number: await repo.nextNumber(), role: 'a\u0000b' });
    await repo.save(r);
    assert.match((await repo.get(r.id))!.role, /^a.b$/);
  });
}

onEveryStore('access request repository', contract);
