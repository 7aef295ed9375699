/**
 * What `t2 tawk -d NAME` prints, and the list `t2 tawk -g` prints: one entry per function of
 * the library (library.ts), in our words. "Keeps the header" means: true on the column-name
 * line unless -H, so that a filter prints the header with its rows.
 *
 * @module
 */

/** Function name → signature and description. */
export const FUNCTION_DOCS: Readonly<Record<string, string>> = {
  hdr: "hdr()\nTrue on the column-name line. Typical use: hdr() || $pktsSnt > 100",
  flow:
    "flow([f])\nColumn flowInd. f: a number, or a list of numbers and ranges separated by ',' or ';'\n" +
    '("633;149", "10-20", "1-3;7"). Without f: the value of flowInd. Keeps the header.\n' +
    "t2 tawk -v f=\"53;85\" 'flow(f)' FILE_flows.txt",
  packet: 'packet([p])\nColumn pktNo of a packet file; p as in flow(): packet("1418-1426").\n' +
    "Keeps the header.",
  port:
    'port([p])\nColumns srcPort and dstPort: true when either is p (a number, "53;80", "6000-6008",\n' +
    "hex allowed). Without p: srcPort and dstPort. Keeps the header.",
  sport: "sport([p])\nLike port(), on srcPort only.",
  dport: "dport([p])\nLike port(), on dstPort only.",
  proto: 'proto([p])\nColumn l4Proto: true when it is p (a number or a list: "6;17").\n' +
    "Without p: the value. Keeps the header.",
  tcp: "tcp([p])\nTrue for TCP flows (l4Proto 6); with p: whether p is 6. Keeps the header.",
  udp: "udp([p])\nTrue for UDP (17). Keeps the header.",
  icmp: "icmp([p])\nTrue for ICMP (1). Keeps the header.",
  igmp: "igmp([p])\nTrue for IGMP (2). Keeps the header.",
  icmp6: "icmp6([p])\nTrue for ICMPv6 (58). Keeps the header.",
  gre: "gre([p])\nTrue for GRE (47). Keeps the header.",
  esp: "esp([p])\nTrue for ESP (50). Keeps the header.",
  ah: "ah([p])\nTrue for AH (51). Keeps the header.",
  rsvp: "rsvp([p])\nTrue for RSVP (46). Keeps the header.",
  sctp: "sctp([p])\nTrue for SCTP (132). Keeps the header.",
  host:
    "host([ip])\nColumns srcIP and dstIP (or srcIP4/srcIP6, dstIP4/dstIP6): true when either is ip\n" +
    '(dotted, IPv6, 0x hex or a number) or, for "net/len", lies in that network.\n' +
    "Without ip: both addresses. Keeps the header.",
  net: 'net([ip])\nThe same as host(): net("10.0.0.0/8").',
  shost: "shost([ip])\nLike host(), on the source address only.",
  snet: "snet([ip])\nLike net(), on the source address only.",
  dhost: "dhost([ip])\nLike host(), on the destination address only.",
  dnet: "dnet([ip])\nLike net(), on the destination address only.",
  ip: "ip()\nTrue for IP flows (flowStat bit 0x4000 or 0x8000). Keeps the header.",
  ipv4: "ipv4()\nTrue for IPv4 flows (flowStat bit 0x4000). Keeps the header.",
  ipv6: "ipv6()\nTrue for IPv6 flows (flowStat bit 0x8000). Keeps the header.",
  bitsanyset:
    "bitsanyset(val, mask)\nNon-zero when val has any bit of mask (both may be 0x hex):\n" +
    "bitsanyset($flowStat, 0x0400000000000000). Keeps the header.",
  bitsallset: "bitsallset(val, mask)\nTrue when val has all bits of mask. Keeps the header.",
  bfeq: "bfeq(a, b)\nTrue when a and b are the same number (0x hex allowed). Keeps the header.",
  not: "not(q)\n!q, but true on the header: tcp() && not(port(80)).",
  tuple2: "tuple2()\nsrcIP, dstIP (separated by OFS).",
  tuple3: "tuple3()\nsrcIP, dstIP, dstPort.",
  tuple4: "tuple4()\nsrcIP, srcPort, dstIP, dstPort.",
  tuple5: "tuple5()\nsrcIP, srcPort, dstIP, dstPort, l4Proto.",
  tuple6: "tuple6()\nsrcIP, srcPort, dstIP, dstPort, l4Proto, vlanID.",
  t2sort:
    "t2sort(col[, num[, type[, rev]]])\nPrint the header, then the rows sorted by column col (a " +
    'column name: t2sort(pktsSnt); several: pktsSnt ";" duration), largest first, at the end.\n' +
    "num > 0: only the first num rows; num < 0: smallest first, the first -num rows.\n" +
    'type: "num", "str" or "ip" (guessed from the first row when empty); rev: 1 reverses.',
  t2rsort: "t2rsort(col[, num[, type]])\nt2sort() with the order reversed: smallest first.",
  aggr: "aggr(fields[, val[, num]])\nSum val (numbers separated by OFS; empty: count the rows) " +
    "per distinct\nfields, print the sums at the end, largest first: aggr($srcIP, $l7BytesSnt), " +
    "aggr(tuple2()).\nnum as in t2sort().",
  aggrrep: "aggrrep(fields[, val[, num[, ign_e[, sep]]]])\nLike aggr() for a repeating value: " +
    "fields is split on ';' (or sep) and each item\naggregated; ign_e: leave out empty items.",
  max: "max(c)\nKeep the largest value of column c (read it with get_max(c) or print_max(c)).\n" +
    "Skips the header line.",
  min: "min(c)\nKeep the smallest value of column c. Skips the header line.",
  mean: "mean(c)\nKeep the running mean of column c. Skips the header line.",
  get_max: "get_max(c)\nThe largest value max(c) saw.",
  get_min: "get_min(c)\nThe smallest value min(c) saw.",
  get_mean: "get_mean(c)\nThe mean mean(c) computed.",
  print_max: "print_max([c])\nPrint 'name: value' for column c, or every column max() kept.",
  print_min: "print_min([c])\nPrint 'name: value' for column c, or every column min() kept.",
  print_mean: "print_mean([c])\nPrint 'name: value' for column c, or every column mean() kept.",
  max2: "max2(a, b)\nThe larger of a and b.",
  max3: "max3(a, b, c)\nThe largest of a, b and c.",
  min2: "min2(a, b)\nThe smaller of a and b.",
  min3: "min3(a, b, c)\nThe smallest of a, b and c.",
  abs: "abs(v)\nThe absolute value of v.",
  isnum: "isnum(v)\nTrue when v is a number. Keeps the header.",
  isint: "isint(v)\nTrue when v is an integer (-12, 0, 7). Keeps the header.",
  isuint: "isuint(v)\nTrue when v is an unsigned integer. Keeps the header.",
  isfloat: "isfloat(v)\nTrue when v is a number with a fraction (1.5). Keeps the header.",
  isipstr: "isipstr(v)\nTrue when v is a dotted IPv4 address. Keeps the header.",
  isiphex: "isiphex(v)\nTrue when v is an IPv4 address in hex (0x0a000001). Keeps the header.",
  isipnum: "isipnum(v)\nTrue when v is an IPv4 address as a number. Keeps the header.",
  isip: "isip(v)\nisipstr(v) || isiphex(v) || isipnum(v).",
  isip6: "isip6(v)\nTrue when v is an IPv6 address (contains ':'). Keeps the header.",
  ip2num: "ip2num(ip)\nAn address as a number (IPv6: 128 bits).",
  ip2hex: "ip2hex(ip)\nAn address in hex: 0x0a000001.",
  ip2str: "ip2str(n)\nAn IPv4 address (number or hex) dotted.",
  ip62str: "ip62str(n)\nAn IPv6 address (number, hex or text) in its shortest form.",
  ip6compress: "ip6compress(ip)\nAn IPv6 address in its shortest form (2001:db8::1).",
  ip6expand:
    "ip6expand(ip[, trim])\nAll eight groups of an IPv6 address, four digits each (trim: " +
    "no leading zeros).",
  ipinnet:
    'ipinnet(ip, net[, mask])\nTrue when ip is in net ("10.0.0.0/8", "10.0.0.0/255.0.0.0" or ' +
    "net and mask).\nKeeps the header.",
  ipinrange: "ipinrange(ip, lo, hi)\nTrue when lo <= ip <= hi. Keeps the header.",
  mask2ip: "mask2ip(len)\nThe IPv4 mask of a prefix length, as a number.",
  mask2ipstr: "mask2ipstr(len)\nThe IPv4 mask of a prefix length, dotted: 255.255.240.0.",
  mask2ip6: "mask2ip6(len)\nThe IPv6 mask of a prefix length, as a number.",
  mask2ip6str: "mask2ip6str(len)\nThe IPv6 mask of a prefix length: ffff:ffff::.",
  ip2mask: 'ip2mask(mask)\nThe prefix length of a mask: ip2mask("255.255.240.0") is 20.',
  privip: "privip(ip)\nTrue for the private IPv4 networks 10/8, 172.16/12 and 192.168/16.",
  mcast: "mcast(ip)\nTrue for multicast addresses (224/4, ff00::/8).",
  loopback: "loopback(ip)\nTrue for loopback addresses (127/8, ::1).",
  streq:
    "streq(a, b[, i])\nTrue when a and b are equal without their quotes (i: ignoring case).\n" +
    "Keeps the header.",
  streqi: "streqi(a, b)\nstreq(a, b, 1).",
  strneq: "strneq(a, b[, i])\n!streq(a, b, i) (false on the header).",
  strneqi: "strneqi(a, b)\nstrneq(a, b, 1).",
  contains:
    "contains(v, t[, i])\nWhere t is in v (0: not at all; i: ignoring case). Keeps the header.",
  containsi: "containsi(v, t)\ncontains(v, t, 1).",
  hasprefix: "hasprefix(v, p[, i])\nTrue when v (unquoted) starts with p. Keeps the header.",
  hasprefixi: "hasprefixi(v, p)\nhasprefix(v, p, 1).",
  hassuffix: "hassuffix(v, s[, i])\nTrue when v (unquoted) ends with s. Keeps the header.",
  hassuffixi: "hassuffixi(v, s)\nhassuffix(v, s, 1).",
  strisempty: 'strisempty(v)\nTrue when v is empty or "". Keeps the header.',
  isset: "isset(v)\nTrue when v is not the empty string (0 is set).",
  valcontains: "valcontains(v, sep, item[, i])\nTrue when one of the sep-separated items of v " +
    "(unquoted) is item.\nKeeps the header.",
  cvalcontains: 'cvalcontains(v, item[, i])\nvalcontains(v, "_", item, i).',
  rvalcontains: 'rvalcontains(v, item[, i])\nvalcontains(v, ";", item, i).',
  strip: "strip(s)\ns without leading and trailing white space.",
  lstrip: "lstrip(s)\ns without leading white space.",
  rstrip: "rstrip(s)\ns without trailing white space.",
  chomp: "chomp(s)\ns without trailing white space (newlines included).",
  unquote: 'unquote(s)\ns without one leading and one trailing ", with \\" turned into ".',
  quote: 'quote(s)\ns in double quotes, inner " escaped.',
  join: "join(a, sep)\nThe elements a[1] ... a[length(a)] joined with sep.",
  t2split:
    't2split(v, sep[, num[, osep]])\nItems of the repeating value v (split on sep; "a";"b" ' +
    'on "sep"):\nall, or those at the positions of num ("2", "1;3", -1 the last), joined with ' +
    "osep (OFS).",
  splitc: 'splitc(v[, num[, osep]])\nt2split(v, "_", num, osep).',
  splitr: 'splitr(v[, num[, osep]])\nt2split(v, ";", num, osep): splitr("a;b;c", 2) is b.',
  proto2str:
    "proto2str([p])\nThe name of IP protocol p (default: l4Proto): TCP, UDP, ICMP, ICMP6, ...;\n" +
    "the number itself when it has none here.",
  tcpflags:
    'tcpflags([v])\nColumn tcpFlags (tcpFlags plugin). Without v: the flags as "WEUAPRSF"\n' +
    'with "." for clear ones. With v: true when the letters are set and those after "!" clear:\n' +
    'tcpflags("S!A"). Keeps the header.',
  dns: "dns()\nTrue for DNS flows (dnsStat non-zero, bit 0x2 clear). Keeps the header.",
  http: "http()\nTrue for HTTP flows (httpStat non-zero). Keeps the header.",
  dhcp: "dhcp()\nTrue for DHCP flows (dhcpStat non-zero). Keeps the header.",
  mac:
    "mac([re])\nSource and destination MACs (srcMac_dstMac_numP of macRecorder, else srcMac and\n" +
    "dstMac); with re: true when one of them matches. Keeps the header.",
  smac: "smac([re])\nLike mac(), source MACs (distinct, ';'-separated).",
  dmac: "dmac([re])\nLike mac(), destination MACs.",
  ether: "ether([re])\nThe same as mac().",
  sether: "sether([re])\nThe same as smac().",
  dether: "dether([re])\nThe same as dmac().",
  wildcard:
    'wildcard(re)\nThe fields whose column name matches re ("!re": does not), joined with OFS:\n' +
    '{ print wildcard("^tcp") }.',
  utc: "utc(t)\nUnix time t as YYYY-MM-DD HH:MM:SS[.frac]Z.",
  localtime: "localtime(t)\nUnix time t in local time: YYYY-MM-DD HH:MM:SS[.frac]+zzzz.",
  timestamp: "timestamp(d)\nA date (what 'date -d' reads) as Unix time, fraction kept.",
  hrnum:
    'hrnum(n[, mode[, suffix]])\nn human-readable: 19982 -> "19.98 K" (mode 1: steps of 1024, ' +
    "Ki, Mi, ...).",
  hrtime: 'hrtime(s[, mode[, unit]])\nA duration in seconds: "1d 02:03:04.500" (mode 1: "26h 3m ' +
    '4.500s");\nunit "ms", "us" or "ns" when s is in those.',
  printerr: "printerr(s[, nonl])\nPrint s in red on standard error (colour only on a terminal).",
  printwrn: "printwrn(s[, nonl])\nPrint s in orange on standard error.",
  printinf: "printinf(s[, nonl])\nPrint s in blue.",
  printok: "printok(s[, nonl])\nPrint s in green.",
  printbold: "printbold(s[, nonl])\nPrint s in bold.",
  _validate_col:
    '_validate_col(names[, default])\nThe number of the first existing column of "a;b": ' +
    "else default, else an error.",
};

/** The T2 groups `-d` accepts for "all of a kind". */
export const DOC_GROUPS = ["all", "funcs"];
