/**
 * Private helper: the libpcap rules about link types and snapshot lengths that are visible to T2
 * users (what `pcap_datalink` and `pcap_snapshot` return for a savefile).
 *
 * @module
 */

/** `LT_LINKTYPE`: the low 26 bits of a classic pcap link type field; the rest is FCS/extension. */
export const LINKTYPE_MASK = 0x03ffffff;

/** libpcap's `MAXIMUM_SNAPLEN`: the largest captured length accepted for most link types. */
const MAXIMUM_SNAPLEN = 262144;

/**
 * libpcap's `linktype_to_dlt` as built on Linux: the few LINKTYPE_ numbers below the matching
 * range whose DLT_ number differs (e.g. LINKTYPE_RAW 101 becomes DLT_RAW 12); everything else is
 * returned unchanged.
 */
export function linkTypeToDlt(linkType: number): number {
  switch (linkType) {
    case 100: // LINKTYPE_ATM_RFC1483
      return 11;
    case 101: // LINKTYPE_RAW
      return 12;
    case 102: // LINKTYPE_SLIP_BSDOS
      return 15;
    case 103: // LINKTYPE_PPP_BSDOS
      return 16;
    case 106: // LINKTYPE_ATM_CLIP (DLT_ATM_CLIP is 19 on Linux)
      return 19;
    default:
      return linkType;
  }
}

/** libpcap's `max_snaplen_for_dlt`: the largest captured length it accepts for a link type. */
export function maxSnapLenForDlt(dlt: number): number {
  switch (dlt) {
    case 231: // DLT_DBUS
      return 128 * 1024 * 1024;
    case 279: // DLT_EBHSCR
      return 8 * 1024 * 1024;
    case 249: // DLT_USBPCAP
      return 1024 * 1024;
    default:
      return MAXIMUM_SNAPLEN;
  }
}

/**
 * libpcap's `pcap_adjust_snapshot`: a snapshot length of 0 or above INT_MAX is replaced by the
 * maximum for the link type; any other value is kept (even one above that maximum).
 */
export function adjustSnapLen(dlt: number, snapLen: number): number {
  return snapLen === 0 || snapLen > 0x7fffffff ? maxSnapLenForDlt(dlt) : snapLen;
}
