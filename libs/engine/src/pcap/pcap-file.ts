/**
 * The classic libpcap file format (https://wiki.wireshark.org/Development/LibpcapFileFormat):
 * a 24-byte global header, then per packet a 16-byte record header and the bytes. Written
 * big-endian, which the magic 0xa1b2c3d4 announces to readers.
 */
import { concatBytes, u16, u32 } from './bytes';

export const PCAP_MAGIC = 0xa1b2c3d4;
export const PCAP_SNAPLEN = 65535;
export const LINKTYPE_ETHERNET = 1;

export interface PcapRecord {
  /** Seconds and microseconds since the Unix epoch. */
  seconds: number;
  microseconds: number;
  frame: Uint8Array;
}

export function pcapFile(records: PcapRecord[]): Uint8Array {
  const header = concatBytes(
    u32(PCAP_MAGIC),
    u16(2),
    u16(4),
    u32(0),
    u32(0),
    u32(PCAP_SNAPLEN),
    u32(LINKTYPE_ETHERNET),
  );
  const packets = records.map((r) => {
    const captured = r.frame.slice(0, PCAP_SNAPLEN);
    return concatBytes(
      u32(r.seconds),
      u32(r.microseconds),
      u32(captured.length),
      u32(r.frame.length),
      captured,
    );
  });
  return concatBytes(header, ...packets);
}
