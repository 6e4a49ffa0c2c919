/** Test helper: a minimal reader of the captures traceToPcap writes (big-endian classic libpcap, Ethernet). */

export interface ReadFrame {
  seconds: number;
  microseconds: number;
  bytes: Uint8Array;
}

export interface ReadCapture {
  magic: number;
  version: string;
  snaplen: number;
  linktype: number;
  frames: ReadFrame[];
}

export function readPcap(file: Uint8Array): ReadCapture {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const frames: ReadFrame[] = [];
  for (let offset = 24; offset + 16 <= file.length;) {
    const length = view.getUint32(offset + 8);
    frames.push({
      seconds: view.getUint32(offset),
      microseconds: view.getUint32(offset + 4),
      bytes: file.slice(offset + 16, offset + 16 + length),
    });
    offset += 16 + length;
  }
  return {
    magic: view.getUint32(0),
    version: `${view.getUint16(4)}.${view.getUint16(6)}`,
    snaplen: view.getUint32(16),
    linktype: view.getUint32(20),
    frames,
  };
}

export interface Layers {
  ipProtocol: number;
  src: string;
  dst: string;
  ttl: number;
  /** UDP or TCP ports of the outermost transport header, when there is one. */
  srcPort?: number;
  dstPort?: number;
  /** Offset of the transport payload (UDP payload, or TCP payload after its header). */
  payloadOffset: number;
  tcpFlags?: number;
}

/** Decodes Ethernet + IPv4 + UDP/TCP at `offset` (0 for the outer frame). */
export function decodeLayers(bytes: Uint8Array, offset = 0): Layers {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ip = offset + 14;
  const ihl = (bytes[ip] & 0x0f) * 4;
  const ipProtocol = bytes[ip + 9];
  const address = (at: number) => Array.from(bytes.slice(at, at + 4)).join('.');
  const transport = ip + ihl;
  const layers: Layers = {
    ipProtocol,
    src: address(ip + 12),
    dst: address(ip + 16),
    ttl: bytes[ip + 8],
    payloadOffset: transport,
  };
  if (ipProtocol === 17)
    return {
      ...layers,
      srcPort: view.getUint16(transport),
      dstPort: view.getUint16(transport + 2),
      payloadOffset: transport + 8,
    };
  if (ipProtocol === 6) {
    const dataOffset = (bytes[transport + 12] >> 4) * 4;
    return {
      ...layers,
      srcPort: view.getUint16(transport),
      dstPort: view.getUint16(transport + 2),
      payloadOffset: transport + dataOffset,
      tcpFlags: bytes[transport + 13],
    };
  }
  return layers;
}
