import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client, type Control, ResultCodeError } from "ldapts";
import type { LdapConfig } from "../config.js";
import { AgentFatalError, causeOf } from "../fatal.js";

const CONNECT_TIMEOUT_MS = 10_000;
const OPERATION_TIMEOUT_MS = 30_000;

/** TLS settings for ldaps:// only: ldapts switches to TLS whenever tlsOptions is given, even for ldap://. */
export function tlsOptionsFor(ldap: LdapConfig): ConnectionOptions | undefined {
  if (!/^ldaps:/i.test(ldap.url)) return undefined;
  const options: ConnectionOptions = { rejectUnauthorized: !ldap.tlsInsecure };
  if (ldap.tlsCaFile) {
    try {
      options.ca = readFileSync(ldap.tlsCaFile);
    } catch (error) {
      throw new AgentFatalError(`config ldap.tlsCaFile: cannot read ${ldap.tlsCaFile} (${causeOf(error)})`);
    }
  }
  return options;
}

export function newClient(ldap: LdapConfig, tls: ConnectionOptions | undefined): Client {
  return new Client({ url: ldap.url, connectTimeout: CONNECT_TIMEOUT_MS, timeout: OPERATION_TIMEOUT_MS, ...(tls ? { tlsOptions: tls } : {}) });
}

/** A write not sent because its time to start had passed (operations.ts WRITE_START_WINDOW_MS). */
export class WriteWindowClosed extends Error {
  constructor() {
    super("the time to start this write has passed");
  }
}

/**
 * The service account's connection: bound once, reopened and rebound when the server or network
 * dropped it. A result code (the directory said no) is the caller's answer; only a read's transport
 * failure is retried, once, on a fresh connection (writes: `write`).
 */
export class ServiceConnection {
  private client: Client | null = null;
  private binding: Promise<Client> | null = null;

  constructor(
    private readonly ldap: LdapConfig,
    private readonly tls: ConnectionOptions | undefined,
  ) {}

  async run<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.bound();
    try {
      return await operation(client);
    } catch (error) {
      if (error instanceof ResultCodeError) throw error;
      await this.drop(client);
      return operation(await this.bound());
    }
  }

  /**
   * A write, sent at most once. A transport failure after it went out leaves its outcome unknown, and
   * sending it again could apply a password the worker has since answered for. So the connection is
   * checked first with a cheap read (retried like any read): one the server dropped while idle is
   * replaced before the write goes out, not after.
   */
  async write<T>(operation: (client: Client) => Promise<T>, stillInTime: () => boolean = () => true): Promise<T> {
    await this.run((client) => client.search("", { scope: "base", filter: "(objectClass=*)", attributes: ["1.1"] }));
    const client = await this.bound();
    // The check and the send with nothing slow between them: the probe may have waited on a dead connection.
    if (!stillInTime()) throw new WriteWindowClosed();
    return operation(client);
  }

  private bound(): Promise<Client> {
    if (this.client?.isConnected && this.client.isBound) return Promise.resolve(this.client);
    this.binding ??= this.open().finally(() => {
      this.binding = null;
    });
    return this.binding;
  }

  private async open(): Promise<Client> {
    if (this.client) await this.drop(this.client);
    const client = newClient(this.ldap, this.tls);
    try {
      await client.bind(this.ldap.bindDn, this.ldap.bindPassword);
    } catch (error) {
      await client.unbind().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async drop(client: Client): Promise<void> {
    if (this.client === client) this.client = null;
    await client.unbind().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.client) await this.drop(this.client);
  }
}

/** Opens and binds a service connection at start, turning every way it can fail into one clear line. */
export async function checkServiceBind(ldap: LdapConfig, connection: ServiceConnection): Promise<void> {
  try {
    await connection.run(async () => undefined);
  } catch (error) {
    if (error instanceof ResultCodeError && error.code === 49) {
      throw new AgentFatalError(`the directory refused the service account's bind (config ldap.bindDn / ldap.bindPassword are wrong, or the account is locked or disabled)`);
    }
    if (error instanceof ResultCodeError) throw new AgentFatalError(`the directory refused the service account's bind: ${error.message}`);
    const cause = causeOf(error);
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(cause)) {
      throw new AgentFatalError(`the directory's TLS certificate at ${ldap.url} is not trusted (${cause}): set config ldap.tlsCaFile to the CA that signed it`);
    }
    throw new AgentFatalError(`cannot reach the directory at ${ldap.url} (${cause})`);
  }
}

/** A fresh connection bound as `dn`, for a user's own bind or change; always closed by the caller. */
export async function withUserBind<T>(ldap: LdapConfig, tls: ConnectionOptions | undefined, dn: string, password: string, operation: (client: Client) => Promise<T>, controls?: Control[]): Promise<T> {
  const client = newClient(ldap, tls);
  try {
    await client.bind(dn, password, controls);
    return await operation(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
