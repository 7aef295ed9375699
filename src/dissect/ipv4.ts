/**
 * IPv4 dissection as T2 0.9.3 does it (spec/dissection.md §3): UDP/TCP-port tunnels first,
 * then GRE, EtherIP and IP-in-IP on the outer header, then lengths, the L4 header and ports
 * of the innermost header. Ends with `p.kind = IPV4` when the packet belongs to an IPv4 flow.
 *
 * @module
 */

import * as S from "../base/flow_status.ts";
import { type DissectContext, P } from "./context.ts";
import { addEthProto, addPppProto, addProtoName, processVlans } from "./link_layer.ts";
import { dissectIPv6 } from "./ipv6.ts";
import { type Packet, PacketKind } from "./packet.ts";
import { ipProtoPieces, unknownIpProtoPiece } from "./proto_names.ts";
import { innerIp, tryAyiya, tryUdpTunnels } from "./tunnels.ts";

/** Append an IP protocol name; an unknown one stops dissection. */
export function addIpProto(p: Packet, proto: number): void {
  addProtoName(p, proto, ipProtoPieces, unknownIpProtoPiece);
}

/** Offset of the first byte after the optional GRE fields (T2 counts 4 bytes per flag). */
export function greOptionsEnd(p: Packet, gre: number): number {
  const f0 = p.u8(gre);
  let off = gre + 4;
  if (f0 & 0x80) off += 4; // checksum
  if (f0 & 0x40) off += 4; // routing offset
  if (f0 & 0x20) off += 4; // key
  if (f0 & 0x10) off += 4; // sequence number
  if (f0 & 0x08) off += 4; // strict source route
  if (p.u8(gre + 1) & 0x80) off += 4; // acknowledgment number
  return off;
}

/** Enhanced GRE (version 1) whose payload length is 0: no PPP header is present. */
export function greNoPayload(p: Packet, gre: number): boolean {
  return (p.u8(gre + 1) & 0x07) === 1 && p.u16(gre + 4) === 0;
}

/** T2's UPnP/SSDP port test. */
export function isSsdp(sport: number, dport: number): boolean {
  return (dport === 1900 && sport > 1024) || (sport === 1900 && dport > 1024);
}

/** Read the source and destination ports of the TCP/UDP header at `l4`. */
export function setPorts(p: Packet, l4: number): void {
  p.srcPort = p.u16(l4);
  p.dstPort = p.u16(l4 + 2);
}

/** Label SSDP traffic (`:ssdp`, L4_UPNP) by its ports; returns whether it is SSDP. */
export function addSsdp(p: Packet): boolean {
  if (!isSsdp(p.srcPort, p.dstPort)) return false;
  p.addHdr(P.SSDP);
  p.statusLo |= S.L4_UPNP;
  return true;
}

/** Whether a DTLS record as T2 recognises it (content type, version) starts at `off`. */
export function startsDtlsRecord(p: Packet, off: number): boolean {
  const ctype = p.u8(off);
  if (!(ctype > 0x13 && ctype < 0x40)) return false;
  const ver = p.u16(off + 1);
  return ver === 0xfefd || ver === 0xfeff || ver === 0x0100;
}

/** DTLS records after a UDP header (each record adds a description piece). */
export function dtlsRecords(p: Packet, d: DissectContext, off: number): void {
  for (;;) {
    if (!startsDtlsRecord(p, off)) return;
    p.addHdr(p.u16(off + 1) === 0xfefd ? P.DTLS12 : P.DTLS10);
    p.statusHi |= S.L7_DTLS_H;
    d.counters.numDTLSPackets++;
    const dlen = 13 + p.u16(off + 11);
    if (p.end - off <= dlen) return;
    off += dlen;
  }
}

/**
 * Dissect the IPv4 header at `p.l3Off`. Tunnels recurse into {@linkcode dissectIPv4} or
 * {@linkcode dissectIPv6} for the inner header.
 */
export function dissectIPv4(p: Packet, d: DissectContext): void {
  p.ethType = 0x0800;
  p.statusHi |= S.FS_IPV4_PKT_H;
  p.addHdr(P.IPV4);

  let ip = p.l3Off;
  const hl = (p.u8(ip) & 0x0f) << 2;
  if (hl < 20) {
    p.statusHi |= S.IPV4_HL_TOO_SHORT_H;
    return;
  }
  p.l3HdrLen = hl;
  p.l4Off = ip + hl;
  let priproto = true;

  const outerLater = (p.u16(ip + 6) & 0x1fff) !== 0;
  if (outerLater) p.statusHi |= S.STPDSCT_H;

  // Ports of the outer header, for the tunnels that need them.
  const proto = p.u8(ip + 9);
  let sport = 0;
  let dport = 0;
  let hdrlen = 0;
  if (!outerLater) {
    const l4 = p.l4Off;
    if (proto === 6) {
      sport = p.u16(l4);
      dport = p.u16(l4 + 2);
      hdrlen = (p.u8(l4 + 12) >> 4) << 2;
    } else if (proto === 17 || proto === 136) {
      sport = p.u16(l4);
      dport = p.u16(l4 + 2);
      hdrlen = 8;
    } else if (proto === 132) {
      sport = p.u16(l4);
      dport = p.u16(l4 + 2);
      hdrlen = 12;
    }
  }
  p.srcPort = sport;
  p.dstPort = dport;

  if (sport !== 0 && dport !== 0) {
    if (!(p.statusHi & S.STPDSCT_H) && isAyiyaPorts(sport, dport)) {
      if (proto === 132) {
        if (priproto) {
          p.addHdr(P.SCTP);
          priproto = false;
        }
        p.addHdr(P.AYIYA);
        p.statusHi |= S.STPDSCT_H;
      } else {
        const reqlen = p.u16(ip + 2) - hl - hdrlen - 8;
        if (reqlen >= 0) {
          if (priproto) {
            addIpProto(p, proto);
            priproto = false;
          }
          if (tryAyiya(p, d, p.l4Off + hdrlen)) return;
        }
      }
    }
    if (!(p.statusHi & S.STPDSCT_H) && proto === 17) {
      const r = tryUdpTunnels(p, d, p.l4Off + hdrlen, priproto);
      if (r < 0) return; // decapsulated: the inner packet was dissected
      if (r === 0) priproto = false;
    }
  }

  // GRE (outer header): the inner IPv4 header is continued in place.
  let greHdrLen = 0;
  if (p.u8(ip + 9) === 47 && !(p.statusHi & S.STPDSCT_H)) {
    p.addHdr(P.GRE);
    p.statusLo |= S.L2_GRE;
    const gre = ip + hl;
    p.l4Off = gre;
    let inner = greOptionsEnd(p, gre);
    const gproto = p.u16(gre + 2);
    if (gproto === 0x0800) {
      p.addHdr(P.IPV4);
      p.l3Off = ip = inner;
      p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
    } else if (gproto === 0x880b) {
      p.addHdr(P.PPP);
      p.statusLo |= S.L2_PPP;
      const b0 = p.u8(inner);
      if (b0 === 0xfd) {
        p.addHdr(P.COMP_DATA);
        p.statusHi |= S.PPP_NRHD_H | S.STPDSCT_H;
      } else if (greNoPayload(p, gre)) {
        p.statusHi |= S.STPDSCT_H;
      } else if (b0 !== 0xff) {
        // Address and control fields are absent.
        if (b0 & 0x01) {
          if (b0 === 0x21) { // one-byte protocol field: IPv4
            p.addHdr(P.IPV4);
            p.l3Off = ip = inner + 1;
            p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
          }
        } else if (p.u16(inner) === 0x0021) {
          p.addHdr(P.IPV4);
          inner += 4; // T2 skips 4 bytes here (2-byte protocol field)
          p.l3Off = ip = inner;
          p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
        } else {
          addPppProto(p, p.u16(inner));
          p.statusHi |= S.STPDSCT_H;
        }
      } else if (p.u16(inner + 2) === 0x0021) {
        p.addHdr(P.IPV4);
        inner += 4;
        p.l3Off = ip = inner;
        p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
      } else if (p.u16(inner + 2) === 0x0057) {
        p.l3Off = inner + 4;
        return dissectIPv6(p, d);
      } else {
        if (!greNoPayload(p, gre)) addPppProto(p, p.u16(inner + 2));
        p.statusHi |= S.STPDSCT_H;
      }
    } else if (gproto === 0x6558 || gproto === 0x88be) {
      if (gproto === 0x88be) {
        p.addHdr(P.ERSPAN);
        p.statusLo |= S.L2_ERSPAN;
        inner += 8;
      }
      let hp = inner;
      const eth = hp;
      const l2Skip = (hp - p.l2Off) & 0xffff;
      hp += 12;
      p.addHdr(P.ETH_C);
      let shape = hp;
      if (p.snapL2Len >= 4) {
        shape = processVlans(p, d, shape);
        hp = shape;
      }
      const shapeId = p.u16(shape);
      if (shapeId <= 1500 || shapeId === 0x8870) {
        p.addHdr(P.LLC);
        p.llcOff = hp;
        hp += 8;
        shape = hp;
      } else {
        hp += 2;
      }
      const t = p.u16(shape);
      if (t === 0x0800) {
        p.addHdr(P.IPV4);
        p.l2Off = eth;
        p.snapL2Len -= l2Skip;
        p.l3Off = ip = hp;
        p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
      } else if (t === 0x86dd) {
        p.l2Off = eth;
        p.l3Off = hp;
        p.snapL2Len -= l2Skip;
        return dissectIPv6(p, d);
      } else {
        addEthProto(p, t);
        p.statusHi |= S.STPDSCT_H;
      }
    } else if (gproto === 0x883e) {
      p.addHdr(P.WCCP);
      p.statusLo |= S.L2_WCCP;
      if (innerIp(p, d, inner + 4)) return;
      p.statusHi |= S.STPDSCT_H;
    } else {
      addEthProto(p, gproto);
      priproto = false;
      p.statusHi |= S.STPDSCT_H;
    }
    greHdrLen = inner - gre;
  }

  // EtherIP
  {
    let hp = p.l3Off + p.l3HdrLen;
    if (p.u8(ip + 9) === 97 && (p.u8(hp) & 0xf0) >= 0x30 && !(p.statusHi & S.STPDSCT_H)) {
      p.addHdr(P.ETHERIP);
      p.addHdr(P.ETH_C);
      p.statusLo |= S.L3_ETHIPF;
      const l2Skip = ((hp - p.l2Off) + 2) & 0xffff;
      p.snapL2Len -= l2Skip;
      p.l2Off = hp + 2;
      hp += 14;
      const shape = processVlans(p, d, hp);
      hp = shape + 2;
      const t = p.u16(shape);
      if (t === 0x0800) {
        p.addHdr(P.IPV4);
        p.l3Off = ip = hp;
        p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
      } else if (t === 0x86dd) {
        p.l3Off = hp;
        return dissectIPv6(p, d);
      } else {
        addEthProto(p, t);
        p.statusHi |= S.STPDSCT_H;
      }
    }
  }

  // IP in IP (outer header): IPv4 continues in place, IPv6 is dissected by the IPv6 code.
  if (!(p.statusHi & S.STPDSCT_H)) {
    const ipProto = p.u8(ip + 9);
    if (ipProto === 4) {
      p.statusLo |= S.L3_IPIP;
      p.addHdr(P.IPV4);
      const hp = p.l3Off + p.l3HdrLen;
      if (hp > p.end) {
        p.statusHi |= S.STPDSCT_H;
      } else {
        p.l3Off = ip = hp;
        p.l3HdrLen = (p.u8(ip) & 0x0f) << 2;
      }
    } else if (ipProto === 41) {
      p.statusLo |= S.L3_IPIP;
      const hp = p.l3Off + p.l3HdrLen;
      if (hp > p.end) {
        p.statusHi |= S.FS_IPV6_PKT_H | S.STPDSCT_H;
      } else {
        p.l3Off = hp;
        return dissectIPv6(p, d);
      }
    }
  }

  if ((p.u8(ip) & 0xf0) !== 0x40) {
    p.statusLo |= S.L3_IPVX;
    p.addHdr(P.IPVX);
    return;
  }

  // ------------------------------ layer 3 lengths ------------------------------
  const l3Len = setIpv4Lengths(p, d, ip);

  // ------------------------------ layer 4 ------------------------------
  const l4Proto = p.u8(ip + 9);
  p.l4Proto = l4Proto;
  const l4 = ip + p.l3HdrLen;
  p.l4Off = l4;
  const l4ToEnd = p.end - l4; // negative when even the IP header was cut
  const ipOff = p.u16(ip + 6);
  const later = (ipOff & 0x1fff) !== 0;
  let l4HdrOff: number;
  if (later) {
    l4HdrOff = 0;
  } else {
    switch (l4Proto) {
      case 4:
        l4HdrOff = (p.u8(ip) & 0x0f) << 2;
        break;
      case 1:
        l4HdrOff = 8;
        break;
      case 6:
        l4HdrOff = (p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < 20 ? 20 : (p.u8(l4 + 12) >> 4) << 2;
        break;
      case 47:
        l4HdrOff = greHdrLen;
        break;
      case 89: {
        const v = p.u8(l4);
        l4HdrOff = v === 2 ? 24 : 16;
        break;
      }
      case 132:
        l4HdrOff = 12;
        break;
      default:
        l4HdrOff = 8;
    }
    if ((p.statusHi & S.L3SNAPLENGTH_H) && l4ToEnd < l4HdrOff) p.statusHi |= S.L4HDRSHRTLEN_H;
    // T2 reads a TCP/UDP header cut short by the capture from past the captured bytes; we
    // read those fields as 0 and say so.
    if (l4ToEnd < minL4Header(l4Proto)) p.statusHi |= S.L4HDRSHRTLEN_H;
  }
  p.l4HdrLen = l4HdrOff;

  setPayloadLengths(p, ip, l3Len, l4HdrOff);

  const a = p.addr;
  p.u32Into(a, 0, ip + 12);
  a[1] = a[2] = a[3] = 0;
  p.u32Into(a, 4, ip + 16);
  a[5] = a[6] = a[7] = 0;

  if (!(p.statusHi & S.STPDSCT_H)) {
    p.srcPort = 0;
    p.dstPort = 0;
  }

  p.ipId = p.u16(ip + 4);
  p.ipOff = ipOff;
  p.firstFragment = !later;

  if (later) {
    if (priproto) addIpProto(p, l4Proto);
    p.statusLo |= S.L2_IPV4;
    p.kind = PacketKind.IPV4;
    return;
  }

  if (!(p.statusHi & S.STPDSCT_H)) {
    switch (l4Proto) {
      case 4: {
        p.statusLo |= S.L3_IPIP;
        const hp = p.l3Off + p.l3HdrLen;
        if (hp > p.end || p.l3HdrLen === 0) {
          p.statusHi |= S.STPDSCT_H;
          break;
        }
        p.l3Off = hp;
        return dissectIPv4(p, d);
      }
      case 6:
        if (priproto) p.addHdr(P.TCP);
        if (l3Len < 40) p.statusHi |= S.L4HDRSHRTLEN_H;
        else {
          setPorts(p, l4);
          addSsdp(p);
        }
        break;
      case 136:
      case 17:
        if (l4Proto === 136 && priproto) {
          p.addHdr(P.UDPLITE);
          priproto = false;
        }
        if (priproto) p.addHdr(P.UDP);
        if (l3Len < 28) p.statusHi |= S.L4HDRSHRTLEN_H;
        else {
          setPorts(p, l4);
          dtlsRecords(p, d, l4 + 8);
          if (!addSsdp(p) && (p.dstPort === 4500 || p.srcPort === 4500)) {
            const pp = l4 + 8;
            p.addHdr(P.UDPENCAP);
            if (p.u8(pp) === 0xff && p.u16(l4 + 4) - 8 === 1) {
              // NAT keep-alive
            } else if (p.u32(pp) !== 0) {
              p.addHdr(P.ESP);
              p.statusLo |= S.L3_IPSEC_ESP;
            } else {
              p.addHdr(P.ISAKMP);
            }
          }
        }
        break;
      case 47:
        if (!innerGre(p, d, priproto)) return;
        break;
      case 50:
        p.addHdr(P.ESP);
        p.statusLo |= S.L3_IPSEC_ESP;
        break;
      case 51:
        p.addHdr(P.AH);
        p.statusLo |= S.L3_IPSEC_AH;
        addIpProto(p, p.u8(l4));
        break;
      case 115:
        p.addHdr(P.L2TP);
        p.statusLo |= S.L2_L2TP;
        break;
      case 132:
        if (priproto) p.addHdr(P.SCTP);
        p.statusLo |= S.L4_SCTP;
        if (l3Len < 36) p.statusHi |= S.L4HDRSHRTLEN_H;
        else {
          p.srcPort = p.u16(l4);
          p.dstPort = p.u16(l4 + 2);
        }
        break;
      case 2: {
        p.addHdr(P.IGMP);
        const t = p.u8(l4);
        if (t === 0x13) p.addHdr(P.DVMRP);
        else if (t === 0x14) p.addHdr(P.PIM);
        else if (t >= 0xfc && p.u32(ip + 16) === 0xe0000019) p.addHdr(P.RGMP);
        break;
      }
      case 103: {
        p.addHdr(P.PIM);
        if ((p.u8(l4) & 0x0f) === 1 && innerIp(p, d, l4 + 8)) return; // REGISTER
        break;
      }
      default:
        addIpProto(p, l4Proto);
    }
  }

  p.statusLo |= S.L2_IPV4;
  p.kind = PacketKind.IPV4;
}

/**
 * Layer-2 and layer-3 lengths of the IPv4 header at `ip`, with T2's checks and its one
 * snap-length warning per run; returns the IP length used (l3Len).
 */
export function setIpv4Lengths(p: Packet, d: DissectContext, ip: number): number {
  const c = d.counters;
  const l2HdrLen = (p.l3Off - p.l2Off) & 0xffff;
  p.snapL3Len = (p.snapL2Len - l2HdrLen) & 0xffff;
  const calcL3Len = (p.rawLen - (p.l3Off - p.start)) & 0xffff;
  const ipLen = p.u16(ip + 2);
  const l3Len = (ipLen === 0 || ipLen > calcL3Len) ? calcL3Len : ipLen;
  if (ipLen === 0 && calcL3Len !== 0) p.statusHi |= S.IP_PL_MSMTCH_H;
  p.l2HdrLen = l2HdrLen;
  const l2Len = (l3Len + l2HdrLen) & 0xffff;
  p.l2Len = l2Len;
  p.l3Len = l3Len;
  c.bytesOnWire += l2Len;

  if (p.snapL3Len < l3Len) {
    p.statusHi |= S.L3SNAPLENGTH_H;
    if (!(c.globalWarnHi & S.L3SNAPLENGTH_H)) {
      c.globalWarnHi |= S.L3SNAPLENGTH_H;
      d.warn(
        `snapL2Length: ${p.snapL2Len} - snapL3Length: ${p.snapL3Len} - IP length in header: ${l3Len}`,
      );
    }
  } else if (p.snapL3Len > l3Len) {
    p.snapL2Len = l2Len;
    p.snapL3Len = l3Len;
  }
  if (l3Len < 20) p.statusHi |= S.L3HDRSHRTLEN_H;
  return l3Len;
}

/**
 * Payload lengths and offsets (len, l7Len, l7Off, snapL4Len, snapL7Len) once the layer-4
 * header length `l4HdrOff` of the packet whose innermost IPv4 header is at `ip` is known.
 */
export function setPayloadLengths(p: Packet, ip: number, l3Len: number, l4HdrOff: number): void {
  const l4 = p.l4Off;
  const packetLen = l3Len - hl4(p, ip) - l4HdrOff;
  if (packetLen >= 0) p.len = packetLen;
  else {
    p.len = 0;
    p.statusHi |= S.L4HDRSHRTLEN_H;
  }
  p.l7Len = (l3Len - p.l3HdrLen - l4HdrOff) & 0xffff;
  p.l7Off = l4 + l4HdrOff;
  if (p.snapL3Len >= l3Len) {
    p.snapL4Len = p.snapL3Len < p.l3HdrLen ? 0 : (l3Len - p.l3HdrLen) & 0xffff;
    p.snapL7Len = l4HdrOff < p.snapL4Len ? p.snapL4Len - l4HdrOff : 0;
  } else {
    p.snapL4Len = p.snapL3Len < p.l3HdrLen ? 0 : (p.snapL3Len - p.l3HdrLen) & 0xffff;
    const toL7 = (p.l7Off - p.l3Off) & 0xffff;
    p.snapL7Len = p.snapL3Len < toL7 ? 0 : p.snapL3Len - toL7;
  }
}

/** Bytes of the fixed TCP/UDP/SCTP header (0: no such check for other protocols). */
export function minL4Header(proto: number): number {
  return proto === 6 ? 20 : proto === 17 || proto === 136 ? 8 : proto === 132 ? 12 : 0;
}

/** IHL of the IPv4 header at `ip` in bytes. */
function hl4(p: Packet, ip: number): number {
  return (p.u8(ip) & 0x0f) << 2;
}

function isAyiyaPorts(sport: number, dport: number): boolean {
  return (sport === 5072 && dport > 1024) || (dport === 5072 && sport > 1024);
}

/**
 * GRE met as the protocol of the innermost IPv4 header (T2's second GRE code path).
 * Returns true when the current header still makes the flow, false when the packet was
 * dissected recursively or gets no flow at all.
 */
function innerGre(p: Packet, d: DissectContext, priproto: boolean): boolean {
  if (priproto) p.addHdr(P.GRE);
  p.statusLo |= S.L2_GRE;
  const gre = p.l4Off;
  let inner = greOptionsEnd(p, gre);
  const gproto = p.u16(gre + 2);
  if (gproto === 0x0800) {
    p.addHdr(P.IPV4);
    p.l3Off = inner;
    p.l3HdrLen = hl4(p, inner);
    return true;
  }
  if (gproto === 0x880b) {
    p.addHdr(P.PPP);
    p.statusLo |= S.L2_PPP;
    if (p.u8(inner) === 0xfd) {
      p.addHdr(P.COMP_DATA);
      p.statusHi |= S.PPP_NRHD_H | S.STPDSCT_H;
      return true;
    }
    const prot = p.u16(inner + 2);
    if (prot === 0x0021) {
      p.addHdr(P.IPV4);
      inner += 4;
      p.l3Off = inner;
      p.l3HdrLen = hl4(p, inner);
      return true;
    }
    if (prot === 0x0057) {
      p.l3Off = inner + 4;
      dissectIPv6(p, d);
      return false;
    }
    if (!greNoPayload(p, gre)) addPppProto(p, prot);
    p.statusHi |= S.STPDSCT_H;
    return true;
  }
  if (gproto === 0x6558) {
    let hp = inner;
    const eth = hp;
    const l2Skip = (hp - p.l2Off) & 0xffff;
    hp += 12;
    const shape = processVlans(p, d, hp);
    if (hp !== shape) hp = shape;
    else hp += 2;
    const t = p.u16(shape);
    if (t === 0x0800) {
      p.l2Off = eth;
      p.snapL2Len -= l2Skip;
      p.l3Off = hp;
      dissectIPv4(p, d);
      return false;
    }
    if (t === 0x86dd) {
      p.l2Off = eth;
      p.l3Off = hp;
      p.snapL2Len -= l2Skip;
      dissectIPv6(p, d);
      return false;
    }
    addEthProto(p, t);
    return false;
  }
  return false;
}
