// POST /cases/{caseId}/vendors and PUT /cases/{caseId}/vendors/{vendorId}: vendors typed in, or
// taken from the directory by vendorRef (the case keeps its own copy; the directory is not changed).
import { VENDOR_REF } from '../../domain/directory.js';
import type { Command } from '../../domain/decide.js';
import { DomainError } from '../../domain/errors.js';
import type { AppDeps } from '../deps.js';
import { caseVendorOf, directoryVendor, linkDirectoryVendors } from '../directory.js';
import { submit } from '../inbox.js';
import { requireCoordinator } from './auth.js';
import { VendorUpdateBodySchema, VendorsBodySchema } from './coordinator-bodies.js';
import { type ApiEvent, type ApiResult, badRequest, json, parseBody, pathParam } from './http.js';
import { acceptedBody } from './responses.js';

const definedOnly = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The directory entry of a ref a coordinator sent: 404 when there is none (a malformed ref is none). */
async function entryOf(deps: AppDeps, ref: string) {
  if (!VENDOR_REF.test(ref)) throw new DomainError('NotFound', 'no such directory vendor');
  return directoryVendor(deps, ref);
}

export async function addVendors(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const actor = requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const b = parseBody(event, VendorsBodySchema);
  const vendors = await Promise.all(
    b.vendors.map(async (v, i) => {
      if (v.vendorRef !== undefined) {
        if (v.name !== undefined || v.contacts.length > 0 || v.isCna || v.cnaShortName !== undefined)
          throw badRequest('a directory vendor takes its name, contacts and CNA standing from the directory', [
            { path: `vendors[${i}]`, message: 'give vendorRef (and downstream) alone, or name and contacts' },
          ]);
        return { ...caseVendorOf(await entryOf(deps, v.vendorRef)), downstream: v.downstream };
      }
      if (v.name === undefined)
        throw badRequest('a vendor needs a name or a vendorRef', [
          { path: `vendors[${i}].name`, message: 'vendors[].name is required without vendorRef' },
        ]);
      return {
        name: v.name,
        contacts: v.contacts.map((c) => (typeof c === 'string' ? { email: c } : c)),
        isCna: v.isCna,
        downstream: v.downstream,
        ...(v.cnaShortName ? { cnaShortName: v.cnaShortName } : {}),
      };
    }),
  );
  const command: Command = { type: 'add-vendors', vendors };
  await linkDirectoryVendors(
    deps,
    caseId,
    command,
    actor,
    vendors.flatMap((v) => ('vendorRef' in v ? [v.vendorRef] : [])),
  );
  const r = await submit(deps, caseId, command, actor);
  return json(202, acceptedBody(r.state, actor, r.appended));
}

export async function updateVendor(deps: AppDeps, event: ApiEvent): Promise<ApiResult> {
  const actor = requireCoordinator(event);
  const caseId = pathParam(event, 'caseId');
  const vendorId = pathParam(event, 'vendorId');
  const { vendorRef, ...b } = parseBody(event, VendorUpdateBodySchema);
  let command: Command = { type: 'update-vendor', vendorId, ...definedOnly(b) };
  if (vendorRef !== undefined) {
    const e = caseVendorOf(await entryOf(deps, vendorRef));
    command = {
      ...command,
      vendorRef,
      ...(b.name === undefined ? { name: e.name } : {}),
      addContacts: e.contacts,
      ...(b.isCna === undefined ? { isCna: e.isCna } : {}),
      ...(b.cnaShortName === undefined && e.cnaShortName ? { cnaShortName: e.cnaShortName } : {}),
    };
    await linkDirectoryVendors(deps, caseId, command, actor, [vendorRef]);
  }
  const r = await submit(deps, caseId, command, actor);
  return json(202, acceptedBody(r.state, actor, r.appended));
}
