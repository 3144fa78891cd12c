// Where a reporter can get support: the administrator's list, force-wide or per command. The
// reporter's browser fetches the whole list (never "for my command", which would say where they
// work) and shows the force-wide entries with those of the command it knows; links are plain
// links to the services themselves, never through this server, so nothing records which one a
// reporter follows.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SupportKind, SupportList } from '../../../shared/src/api/schemas.ts';
import type { SupportContactAdmin, SupportContactInput, SupportContactsAdmin } from '../../../shared/src/api/staff.ts';
import { auditIn, type AuditContext } from '../audit/log.ts';
import type { Database, SupportContactsTable } from '../db/database.ts';
import { ApiError } from '../plugins/errors.ts';
import * as repo from './repository.ts';

type Ctx = AuditContext & { db: Kysely<Database> };

const optional = (r: { phone: string | null; url: string | null; email: string | null }) => ({
  ...(r.phone !== null ? { phone: r.phone } : {}),
  ...(r.url !== null ? { url: r.url } : {}),
  ...(r.email !== null ? { email: r.email } : {}),
});

export async function publicList(db: Kysely<Database>): Promise<SupportList> {
  const rows = await repo.listContacts(db);
  return {
    contacts: rows.map((r) => ({
      id: r.id,
      command: r.command_id !== null ? { id: r.command_id, label: r.command_label ?? r.command_id } : null,
      kind: r.kind as SupportKind, name: r.name, description: r.description, ...optional(r),
    })),
  };
}

const adminItem = (r: SupportContactsTable): SupportContactAdmin => ({
  id: r.id, command: r.command_id, kind: r.kind as SupportKind, name: r.name, description: r.description, sort: Number(r.sort), ...optional(r),
});

export async function adminList(db: Kysely<Database>): Promise<SupportContactsAdmin> {
  const [rows, commands] = await Promise.all([repo.listContacts(db), repo.commands(db)]);
  return { contacts: rows.map(adminItem), commands };
}

async function rowOf(db: Kysely<Database>, b: SupportContactInput): Promise<Omit<SupportContactsTable, 'id'>> {
  if (!b.phone && !b.url && !b.email) throw new ApiError('invalid_request');
  if (b.command !== null && !(await repo.commandExists(db, b.command))) throw new ApiError('unknown_command');
  return {
    command_id: b.command, kind: b.kind, name: b.name.trim(), description: b.description.trim(),
    phone: b.phone ?? null, url: b.url ?? null, email: b.email ?? null, sort: b.sort ?? 0,
  };
}

export async function createContact(ctx: Ctx, actor: string, b: SupportContactInput): Promise<SupportContactAdmin> {
  const row = { id: randomBytes(12).toString('base64url'), ...(await rowOf(ctx.db, b)) };
  await ctx.db.transaction().execute(async (tx) => {
    await repo.insertContact(tx, row);
    await auditIn(ctx, tx, { actor, action: 'admin.support_contacts', detail: { op: 'create', id: row.id, command: row.command_id, kind: row.kind } });
  });
  return adminItem(row);
}

export async function editContact(ctx: Ctx, actor: string, id: string, b: SupportContactInput): Promise<SupportContactAdmin> {
  const row = await rowOf(ctx.db, b);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.updateContact(tx, id, row))) throw new ApiError('not_found');
    await auditIn(ctx, tx, { actor, action: 'admin.support_contacts', detail: { op: 'edit', id, command: row.command_id, kind: row.kind } });
  });
  return adminItem({ id, ...row });
}

export async function removeContact(ctx: Ctx, actor: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await repo.deleteContact(tx, id))) throw new ApiError('not_found');
    await auditIn(ctx, tx, { actor, action: 'admin.support_contacts', detail: { op: 'delete', id } });
  });
}
