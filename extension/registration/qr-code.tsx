import { useMemo } from "preact/hooks";
import { encode } from "uqr";

/** Modules of white around the code, as the QR specification asks (ISO/IEC 18004 quiet zone). */
const QUIET = 4;

/** The dark modules as one SVG path: one element, however large the code. */
export function qrPath(data: boolean[][]): string {
  let d = "";
  data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`)));
  return d;
}

/**
 * The `otpauth://` URI as a QR code for the authenticator app (spec §3), drawn from uqr's module
 * matrix (no innerHTML). Always dark on white, in both colour schemes: scanners expect that contrast.
 */
export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const qr = encode(value, { ecc: "M", border: 0 });
    return { path: qrPath(qr.data), modules: qr.size + 2 * QUIET };
  }, [value]);
  return (
    <svg class="qr" role="img" aria-label={label} viewBox={`0 0 ${modules} ${modules}`} width={size} height={size} shape-rendering="crispEdges">
      <rect width={modules} height={modules} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
