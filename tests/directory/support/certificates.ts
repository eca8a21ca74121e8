import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./processes.js";

/**
 * A throw-away CA and a server certificate it signs (EC P-256, one day), so TLS clients in the tests
 * verify the server as a real agent would, with `tlsCaFile` and no "insecure" switch.
 */
export interface ServerCertificate {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export async function makeServerCertificate(dir: string, commonName: string, subjectAltNames: string[]): Promise<ServerCertificate> {
  const caKey = join(dir, "ca-key.pem");
  const caFile = join(dir, "ca.pem");
  const keyFile = join(dir, "server-key.pem");
  const csr = join(dir, "server.csr");
  const certFile = join(dir, "server.pem");
  const ext = join(dir, "server.ext");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...ec, "-keyout", caKey, "-out", caFile, "-days", "1", "-subj", "/CN=OpenSSPR test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await run("openssl", ["req", "-new", ...ec, "-keyout", keyFile, "-out", csr, "-subj", `/CN=${commonName}`]);
  writeFileSync(ext, `subjectAltName=${subjectAltNames.join(",")}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", caFile, "-CAkey", caKey, "-CAcreateserial", "-out", certFile, "-days", "1", "-extfile", ext]);
  chmodSync(keyFile, 0o600);
  return { caFile, certFile, keyFile };
}
