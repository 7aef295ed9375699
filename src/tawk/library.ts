/**
 * The awk function library of `t2 tawk`: the functions T2's tawk loads for every program
 * (`../shared/spec/tools/tawk.md` §6.1-§6.3), written here for gawk from that description,
 * plus the rule that recognises the column-name line (§4).
 *
 * Conventions of the awk code: internal names start with `_t2_` or `__`; a function that
 * "keeps the header" returns `__PRIHDR__` (1 unless -H) on the column-name record; columns are
 * found by name through `_validate_col` once and the number is kept (the hot filters, `tcp()`
 * and friends, cost one comparison per record beyond the field access).
 *
 * @module
 */

/** The rules and functions (gawk source), loaded before the user's program. */
export const LIBRARY = String.raw`
BEGIN {
  # -N gives the header row; otherwise -1 until the header is seen (a number: NR == -1 is
  # a cheap comparison that is never true)
  if (__HDRROW__ != "") __HDRFIX__ = 1
  else __HDRROW__ = -1
  __HDRRE__ = __HDRSEP__ == "" ? "" : "^" __HDRSEP__ "[[:space:]]*[A-Za-z\\\\()]"
  __HDRDEL__ = __HDRSEP__ == "" ? "" : "^" __HDRSEP__ "[[:space:]]*"
}

# The column-name record: from now on only this record number is the header (a second one,
# or the header of a later file, is data). With -H no rule sees it.
(__HDRFIX__ ? NR == __HDRROW__ : (__HDRRE__ == "" ? NR == 1 : $0 ~ __HDRRE__)) {
  __HDRROW__ = NR
  __HDRFIX__ = 1
  _t2_read_header()
  if (!__PRIHDR__) next
}

END {
  _t2_aggr_end()
  _t2_sort_end()
}

function _t2_read_header(    line, n, i, names, nm) {
  line = $0
  if (__HDRDEL__ != "") sub(__HDRDEL__, "", line)
  n = split(line, names, FS)
  for (i = 1; i <= n; i++) {
    nm = names[i]
    gsub(/^[[:space:]]+|[[:space:]]+$/, "", nm)
    COL[nm] = i
    COL[i] = nm
  }
  delete __CC
  __c_l4 = __c_sp = __c_dp = __c_fi = __c_pn = __c_fs = __c_si = __c_di = 0
}

# ---- columns ------------------------------------------------------------------------------

function _validate_col(names, dflt,    n, i, a, s) {
  n = split(names, a, ";")
  for (i = 1; i <= n; i++) if (a[i] in COL) return COL[a[i]]
  if (dflt != "") return dflt
  if (n == 1) {
    printerr("Column '" names "' does not exist")
  } else {
    s = "'" a[1] "'"
    for (i = 2; i < n; i++) s = s ", '" a[i] "'"
    printerr("None of the columns " s " or '" a[n] "' do exist")
  }
  exit 1
}

# A column number, looked up once (the cache is emptied when the header is read).
function _t2_col(key, names, dflt) {
  if (key in __CC) return __CC[key]
  return __CC[key] = _validate_col(names, dflt)
}

function _t2_l4() { return __c_l4 ? __c_l4 : (__c_l4 = _validate_col("l4Proto", _my_l4Proto)) }
function _t2_sp() { return __c_sp ? __c_sp : (__c_sp = _validate_col("srcPort", _my_srcPort)) }
function _t2_dp() { return __c_dp ? __c_dp : (__c_dp = _validate_col("dstPort", _my_dstPort)) }
function _t2_fi() { return __c_fi ? __c_fi : (__c_fi = _validate_col("flowInd", _my_flowInd)) }
function _t2_pn() { return __c_pn ? __c_pn : (__c_pn = _validate_col("pktNo", _my_pktNo)) }
function _t2_fs() { return __c_fs ? __c_fs : (__c_fs = _validate_col("flowStat", _my_flowStat)) }
function _t2_si() {
  return __c_si ? __c_si : (__c_si = _validate_col("srcIP;srcIP4;srcIP6", _my_srcIP))
}
function _t2_di() {
  return __c_di ? __c_di : (__c_di = _validate_col("dstIP;dstIP4;dstIP6", _my_dstIP))
}

# ---- selection ----------------------------------------------------------------------------

function hdr() {
  if (__HDRFIX__) return NR == __HDRROW__
  if (__HDRRE__ == "") return NR == 1
  return $0 ~ __HDRRE__
}

# A LIST argument, parsed once per distinct value: items split on , or ; -- ranges A-B (decimal
# or 0x hex sides, read with strtonum) and single values.
function _t2_list(f,    n, i, a, r) {
  if (__L_key == f "" && __L_set) return __L_n
  __L_key = f ""
  __L_set = 1
  delete __L_lo
  delete __L_hi
  delete __L_val
  n = split(f, a, /[,;]/)
  for (i = 1; i <= n; i++) {
    if (a[i] ~ /^(0x[0-9a-fA-F]+|[0-9]+)-(0x[0-9a-fA-F]+|[0-9]+)$/) {
      split(a[i], r, "-")
      __L_lo[i] = strtonum(r[1])
      __L_hi[i] = strtonum(r[2])
    } else {
      __L_val[i] = a[i]
    }
  }
  return __L_n = n
}

# flow() and packet(): a number compares with strtonum of the field; list items that are not
# ranges compare as awk values (so a quoted hex item never matches, as in T2).
function _t2_indsel(f, c,    n, i, v) {
  if (NR == __HDRROW__ || f == "" || f == 0) return $c
  if (f ~ /^[0-9]+$/) return strtonum($c) == f + 0
  n = _t2_list(f)
  v = strtonum($c)
  for (i = 1; i <= n; i++) {
    if (i in __L_val) {
      if ($c == __L_val[i]) return 1
    } else if (v >= __L_lo[i] && v <= __L_hi[i]) {
      return 1
    }
  }
  return 0
}

function flow(f) { return _t2_indsel(f, _t2_fi()) }
function packet(p) { return _t2_indsel(p, _t2_pn()) }

# port(), sport(), dport(), proto(): c2 is 0 for one column. Single list items go through
# strtonum, so hex works.
function _t2_numsel(p, c1, c2,    n, i, v1, v2, x) {
  if (NR == __HDRROW__ || p == "" || p == 0) return c2 ? $c1 OFS $c2 : $c1
  if (p ~ /^[0-9]+$/) return $c1 == p + 0 || (c2 && $c2 == p + 0)
  n = _t2_list(p)
  v1 = $c1 + 0
  v2 = c2 ? $c2 + 0 : -1
  for (i = 1; i <= n; i++) {
    if (i in __L_val) {
      x = strtonum(__L_val[i])
      if (v1 == x || v2 == x) return 1
    } else if ((v1 >= __L_lo[i] && v1 <= __L_hi[i]) || (c2 && v2 >= __L_lo[i] && v2 <= __L_hi[i])) {
      return 1
    }
  }
  return 0
}

function port(p) { return _t2_numsel(p, _t2_sp(), _t2_dp()) }
function sport(p) { return _t2_numsel(p, _t2_sp(), 0) }
function dport(p) { return _t2_numsel(p, _t2_dp(), 0) }
function proto(p) { return _t2_numsel(p, _t2_l4(), 0) }

function _t2_isproto(p, n) {
  if (NR == __HDRROW__) return __PRIHDR__
  if (p != "") return p == n
  return $(__c_l4 ? __c_l4 : _t2_l4()) == n
}

function tcp(p) {
  if (NR == __HDRROW__) return __PRIHDR__
  if (p != "") return p == 6
  return $(__c_l4 ? __c_l4 : _t2_l4()) == 6
}
function udp(p) { return _t2_isproto(p, 17) }
function icmp(p) { return _t2_isproto(p, 1) }
function igmp(p) { return _t2_isproto(p, 2) }
function icmp6(p) { return _t2_isproto(p, 58) }
function gre(p) { return _t2_isproto(p, 47) }
function esp(p) { return _t2_isproto(p, 50) }
function ah(p) { return _t2_isproto(p, 51) }
function rsvp(p) { return _t2_isproto(p, 46) }
function sctp(p) { return _t2_isproto(p, 132) }

# host() and friends: c2 is 0 for one side.
function _t2_hostsel(addr, c1, c2,    v) {
  if (NR == __HDRROW__ || addr == "" || addr == 0) return c2 ? $c1 OFS $c2 : $c1
  if (index(addr, "/")) return ipinnet($c1, addr) || (c2 && ipinnet($c2, addr))
  if ((index(addr, ":") > 0) != (index($c1, ":") > 0)) return 0
  if (__H_key != addr "") {
    __H_key = addr ""
    __H_val = ip2num(addr)
  }
  v = __H_val
  return ip2num($c1) == v || (c2 && ip2num($c2) == v)
}

function host(a) { return _t2_hostsel(a, _t2_si(), _t2_di()) }
function net(a) { return _t2_hostsel(a, _t2_si(), _t2_di()) }
function shost(a) { return _t2_hostsel(a, _t2_si(), 0) }
function snet(a) { return _t2_hostsel(a, _t2_si(), 0) }
function dhost(a) { return _t2_hostsel(a, _t2_di(), 0) }
function dnet(a) { return _t2_hostsel(a, _t2_di(), 0) }

function ip() {
  if (NR == __HDRROW__) return __PRIHDR__
  return and(strtonum($(_t2_fs())), 0xc000) != 0
}
function ipv4() {
  if (NR == __HDRROW__) return __PRIHDR__
  return and(strtonum($(_t2_fs())), 0x4000) != 0
}
function ipv6() {
  if (NR == __HDRROW__) return __PRIHDR__
  return and(strtonum($(_t2_fs())), 0x8000) != 0
}

function bitsanyset(val, mask) {
  if (NR == __HDRROW__) return __PRIHDR__
  return and(strtonum(val), strtonum(mask))
}
function bitsallset(val, mask,    m) {
  if (NR == __HDRROW__) return __PRIHDR__
  m = strtonum(mask)
  return and(strtonum(val), m) == m
}
function bfeq(a, b) {
  if (NR == __HDRROW__) return __PRIHDR__
  return strtonum(a) == strtonum(b)
}
function not(q) {
  if (NR == __HDRROW__) return __PRIHDR__
  return !q
}

function tuple2() { return $(_t2_si()) OFS $(_t2_di()) }
function tuple3() { return $(_t2_si()) OFS $(_t2_di()) OFS $(_t2_dp()) }
function tuple4() { return $(_t2_si()) OFS $(_t2_sp()) OFS $(_t2_di()) OFS $(_t2_dp()) }
function tuple5() { return tuple4() OFS $(_t2_l4()) }
function tuple6() { return tuple5() OFS $(_t2_col("vlanID", "vlanID", _my_vlanID)) }

# ---- sorting and aggregation (written at END through sort) --------------------------------

function _t2_isnumstr(v) {
  return v ~ /^[[:space:]]*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$/
}

# The sort command, fixed at the first data record. The letters of each key form bundled global
# options (-grk3,3), as in T2: they apply to every key and to sort's last-resort comparison.
function _t2_sort_cmd(col, num, type, rev,    nc, cols, nt, types, nr, revs, i, c, t, flag, r, keys, v, cmd) {
  nc = split(col, cols, ";")
  nt = split(type, types, ";")
  nr = split(rev, revs, ";")
  if (nt < nc) for (i = nt ? nt : 1; i <= nc; i++) types[i] = types[1]
  if (nr < nc) for (i = nr ? nr : 1; i <= nc; i++) revs[i] = revs[1]
  keys = ""
  for (i = 1; i <= nc; i++) {
    c = cols[i] + 0
    t = types[i]
    if (t == "") {
      v = $c
      t = v ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ ? "ip" : _t2_isnumstr(v) ? "num" : "str"
    }
    flag = t == "ip" ? "V" : t == "str" ? "" : "g"
    r = (num >= 0 && !revs[i]) || (num < 0 && revs[i]) ? "r" : ""
    keys = keys " -" flag r "k" c "," c
  }
  cmd = "LC_ALL=C sort -t'" OFS "'" keys
  if (num != 0) cmd = cmd " | head -n " abs(num)
  return cmd
}

function t2sort(col, num, type, rev) {
  if (NR == __HDRROW__) {
    __S_hdr = $0
    __S_hashdr = 1
    return 0
  }
  if (col == 0) {
    printerr("t2sort: a column number != 0 MUST be specified")
    exit 1
  }
  if (__S_cmd == "") __S_cmd = _t2_sort_cmd(col, num, type, rev)
  print | __S_cmd
  return 0
}

function t2rsort(col, num, type) { return t2sort(col, num, type, 1) }

function _t2_sort_end() {
  if (__S_hashdr && __PRIHDR__) print __S_hdr
  if (__S_cmd != "") {
    fflush()
    close(__S_cmd)
  }
}

function _t2_aggr_label() {
  return FILENAME ~ /_packets\.txt/ ? "Packets" : "Flows"
}

function aggr(fields, val, num,    n, i, a, k, x) {
  if (NR == __HDRROW__) {
    k = fields
    if (__HDRDEL__ != "") sub(__HDRDEL__, "", k)
    __A_hdr = k OFS (val == "" ? _t2_aggr_label() : val)
    __A_hashdr = 1
    return 0
  }
  __A_num = num
  __A_used = 1
  if (val == "") {
    n = 1
    a[1] = "flows"
  } else {
    n = split(val, a, OFS)
  }
  for (i = 1; i <= n; i++) {
    x = tolower(a[i])
    __A_sum[fields, i] += x == "flows" || x == "packets" ? 1 : a[i]
  }
  if (n > __A_nv) __A_nv = n
  if (!(fields in __A_keys)) {
    __A_keys[fields] = 1
    if (__A_parts == "") __A_parts = split(fields, a, OFS)
  }
  return 0
}

function aggrrep(fields, val, num, ign_e, sep,    n, i, items) {
  if (NR == __HDRROW__) return aggr(fields, val, num)
  n = _t2_splitrep(fields, items, sep == "" ? ";" : sep)
  for (i = 1; i <= n; i++) {
    if (ign_e && items[i] == "") continue
    aggr(items[i], val, num)
  }
  return 0
}

function _t2_aggr_end(    cmd, k, i, line, idx) {
  if (__A_hashdr && __PRIHDR__) print __A_hdr
  if (!__A_used) return
  idx = __A_parts + 1
  if (idx < 2) idx = 2
  cmd = "sort -t'" OFS "' -n" (__A_num < 0 ? "" : "r") "k" idx
  if (__A_num != 0) cmd = cmd " | head -n " abs(__A_num)
  for (k in __A_keys) {
    line = k
    for (i = 1; i <= __A_nv; i++) line = line OFS (__A_sum[k, i] + 0)
    print line | cmd
  }
  fflush()
  close(cmd)
}

function max(c) {
  if (NR == __HDRROW__) next
  if (!(c in __MAX) || $c > __MAX[c]) __MAX[c] = $c
}
function min(c) {
  if (NR == __HDRROW__) next
  if (!(c in __MIN) || $c < __MIN[c]) __MIN[c] = $c
}
function mean(c) {
  if (NR == __HDRROW__) next
  __MEAN[c] += ($c - __MEAN[c]) / (__MEAN_N[c] + 1)
  __MEAN_N[c]++
}
function get_max(c) { return __MAX[c] }
function get_min(c) { return __MIN[c] }
function get_mean(c) { return __MEAN[c] }

function _t2_print_stat(arr, c,    k, saved) {
  if (c != "") {
    print COL[c] ": " arr[c]
    return
  }
  saved = PROCINFO["sorted_in"]
  PROCINFO["sorted_in"] = "@ind_num_asc"
  for (k in arr) print COL[k] ": " arr[k]
  PROCINFO["sorted_in"] = saved
}
function print_max(c) { _t2_print_stat(__MAX, c) }
function print_min(c) { _t2_print_stat(__MIN, c) }
function print_mean(c) { _t2_print_stat(__MEAN, c) }

function max2(a, b) { return a > b ? a : b }
function max3(a, b, c) { return max2(max2(a, b), c) }
function min2(a, b) { return a < b ? a : b }
function min3(a, b, c) { return min2(min2(a, b), c) }
function abs(v) { return v < 0 ? -v : v }

# ---- tests on values ----------------------------------------------------------------------

function isnum(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v == v + 0
}
function isint(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v ~ /^-?(0|[1-9][0-9]*)$/
}
function isuint(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v ~ /^(0|[1-9][0-9]*)$/
}
function isfloat(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v ~ /^-?(0|[1-9][0-9]*).[0-9]*$/
}
function isipstr(v,    a) {
  if (NR == __HDRROW__) return __PRIHDR__
  if (v !~ /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/) return 0
  split(v, a, ".")
  return a[1] <= 255 && a[2] <= 255 && a[3] <= 255 && a[4] <= 255
}
function isiphex(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v ~ /^0x[0-9a-fA-F]{1,8}$/
}
function isipnum(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v ~ /^[0-9]{1,10}$/
}
function isip(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return isipstr(v) || isiphex(v) || isipnum(v)
}
function isip6(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return index(v, ":") > 0
}

# ---- addresses ----------------------------------------------------------------------------

# The 8 groups of an IPv6 address as numbers in g[1..8] (an IPv4 tail counts as two groups).
function _t2_ip6groups(a6, g,    p, head, tail, nh, nt, h, t, i, a, n) {
  a6 = tolower(a6)
  if (match(a6, /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/)) {
    split(substr(a6, RSTART), a, ".")
    a6 = substr(a6, 1, RSTART - 1) sprintf("%x:%x", a[1] * 256 + a[2], a[3] * 256 + a[4])
  }
  p = index(a6, "::")
  if (p) {
    head = substr(a6, 1, p - 1)
    tail = substr(a6, p + 2)
    nh = head == "" ? 0 : split(head, h, ":")
    nt = tail == "" ? 0 : split(tail, t, ":")
    for (i = 1; i <= nh; i++) g[i] = strtonum("0x" h[i])
    for (i = nh + 1; i <= 8 - nt; i++) g[i] = 0
    for (i = 1; i <= nt; i++) g[8 - nt + i] = strtonum("0x" t[i])
  } else {
    n = split(a6, h, ":")
    for (i = 1; i <= 8; i++) g[i] = i <= n ? strtonum("0x" h[i]) : 0
  }
}

function ip2num(addr,    a, g, i, v) {
  if (NR == __HDRROW__) return addr
  if (addr ~ /^0[xX][0-9a-fA-F]+$/) return strtonum(addr)
  if (addr ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) {
    split(addr, a, ".")
    return ((a[1] * 256 + a[2]) * 256 + a[3]) * 256 + a[4]
  }
  if (index(addr, ":")) {
    _t2_ip6groups(addr, g)
    v = 0
    for (i = 1; i <= 8; i++) v = v * 65536 + g[i]
    return v
  }
  return addr
}

function ip2hex(addr) {
  if (index(addr, ":")) return sprintf("0x%032x", ip2num(addr))
  return sprintf("0x%08x", ip2num(addr))
}

function ip2str(addr,    v) {
  if (addr ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/) return addr
  v = addr ~ /^0[xX]/ ? strtonum(addr) : addr + 0
  return sprintf("%d.%d.%d.%d", and(rshift(v, 24), 255), and(rshift(v, 16), 255), and(rshift(v, 8), 255), and(v, 255))
}

# An IPv6 address (text, hex or number) in its shortest form (RFC 5952).
function ip62str(addr,    v, g, i) {
  if (index(addr, ":")) return ip6compress(addr)
  v = addr ~ /^0[xX]/ ? strtonum(addr) : addr + 0
  for (i = 8; i >= 1; i--) {
    g[i] = and(v, 65535)
    v = rshift(v, 16)
  }
  return _t2_ip6short(g)
}

function _t2_ip6short(g,    i, best, bestlen, run, start, s) {
  best = 0
  bestlen = 1
  run = 0
  for (i = 1; i <= 8; i++) {
    if (g[i] == 0) {
      if (!run) start = i
      run++
      if (run > bestlen) {
        bestlen = run
        best = start
      }
    } else {
      run = 0
    }
  }
  s = ""
  for (i = 1; i <= 8; i++) {
    if (best && i >= best && i < best + bestlen) {
      if (i == best) s = s "::"
      continue
    }
    s = s (s == "" || s ~ /::$/ ? "" : ":") sprintf("%x", g[i])
  }
  return s
}

function ip6compress(addr,    g) {
  _t2_ip6groups(addr, g)
  return _t2_ip6short(g)
}

function ip6expand(addr, trim,    g, i, s) {
  _t2_ip6groups(addr, g)
  s = ""
  for (i = 1; i <= 8; i++) s = s (i > 1 ? ":" : "") sprintf(trim ? "%x" : "%04x", g[i])
  return s
}

function _t2_prefix_mask(len, bits) {
  return (2 ^ bits - 1) - (2 ^ (bits - len) - 1)
}

function ipinnet(addr, nw, mask,    p, v6, m) {
  if (NR == __HDRROW__) return __PRIHDR__
  if (mask == "" && (p = index(nw, "/"))) {
    mask = substr(nw, p + 1)
    nw = substr(nw, 1, p - 1)
  }
  v6 = index(nw, ":") > 0
  if ((index(addr, ":") > 0) != v6) return 0
  if (mask == "") mask = v6 ? 128 : 32
  if (mask ~ /^[0-9]+$/ && mask + 0 <= 128) m = _t2_prefix_mask(mask, v6 ? 128 : 32)
  else m = ip2num(mask)
  return and(ip2num(addr), m) == and(ip2num(nw), m)
}

function ipinrange(addr, lo, hi,    v) {
  if (NR == __HDRROW__) return __PRIHDR__
  v = ip2num(addr)
  return v >= ip2num(lo) && v <= ip2num(hi)
}

function mask2ip(m) { return _t2_prefix_mask(m, 32) }
function mask2ipstr(m) { return ip2str(mask2ip(m)) }
function mask2ip6(m) { return _t2_prefix_mask(m, 128) }
function mask2ip6str(m) { return ip62str(mask2ip6(m)) }

function ip2mask(addr,    v, bits, i, n) {
  bits = index(addr, ":") ? 128 : 32
  v = ip2num(addr)
  n = 0
  for (i = bits - 1; i >= 0 && and(rshift(v, i), 1); i--) n++
  return n
}

function privip(addr,    v) {
  if (index(addr, ":")) return 0
  v = ip2num(addr)
  return and(v, 0xff000000) == 0x0a000000 || and(v, 0xfff00000) == 0xac100000 ||
    and(v, 0xffff0000) == 0xc0a80000
}
function mcast(addr) {
  if (index(addr, ":")) return tolower(addr) ~ /^ff/
  return and(ip2num(addr), 0xf0000000) == 0xe0000000
}
function loopback(addr) {
  if (index(addr, ":")) return ip6compress(addr) == "::1"
  return and(ip2num(addr), 0xff000000) == 0x7f000000
}

# ---- strings ------------------------------------------------------------------------------

function unquote(s) {
  if (substr(s, 1, 1) == "\"") s = substr(s, 2)
  if (substr(s, length(s)) == "\"") s = substr(s, 1, length(s) - 1)
  gsub(/\\"/, "\"", s)
  return s
}
function quote(s) {
  s = unquote(s)
  gsub(/"/, "\\\"", s)
  return "\"" s "\""
}

function streq(a, b, i) {
  if (NR == __HDRROW__) return __PRIHDR__
  a = unquote(a)
  b = unquote(b)
  if (i) {
    a = tolower(a)
    b = tolower(b)
  }
  return a == b
}
function streqi(a, b) { return streq(a, b, 1) }
function strneq(a, b, i) { return !streq(a, b, i) }
function strneqi(a, b) { return !streq(a, b, 1) }

function contains(v, t, i) {
  if (NR == __HDRROW__) return __PRIHDR__
  return i ? index(tolower(v), tolower(t)) : index(v, t)
}
function containsi(v, t) { return contains(v, t, 1) }

function hasprefix(v, p, i) {
  if (NR == __HDRROW__) return __PRIHDR__
  v = unquote(v)
  if (i) {
    v = tolower(v)
    p = tolower(p)
  }
  return substr(v, 1, length(p)) == p
}
function hasprefixi(v, p) { return hasprefix(v, p, 1) }
function hassuffix(v, s, i) {
  if (NR == __HDRROW__) return __PRIHDR__
  v = unquote(v)
  if (i) {
    v = tolower(v)
    s = tolower(s)
  }
  return length(v) >= length(s) && substr(v, length(v) - length(s) + 1) == s
}
function hassuffixi(v, s) { return hassuffix(v, s, 1) }

function strisempty(v) {
  if (NR == __HDRROW__) return __PRIHDR__
  return v == "" || v == "\"\""
}
function isset(v) { return v "" != "" }

# Split a repeating value: on sep, or, when it is quoted ("a";"b"), on "sep" with the quotes
# removed. Literal separators (no regular expression).
function _t2_splitrep(v, items, sep,    n, d, p) {
  delete items
  if (v == "") return 0
  d = sep
  if (substr(v, 1, 1) == "\"" && substr(v, length(v)) == "\"" && length(v) > 1) {
    v = substr(v, 2, length(v) - 2)
    d = "\"" sep "\""
  }
  n = 0
  while ((p = index(v, d)) > 0) {
    items[++n] = substr(v, 1, p - 1)
    v = substr(v, p + length(d))
  }
  items[++n] = v
  return n
}

function valcontains(v, sep, item, i,    n, k, a, x) {
  if (NR == __HDRROW__) return __PRIHDR__
  n = _t2_splitrep(v, a, sep)
  if (i) item = tolower(item)
  for (k = 1; k <= n; k++) {
    x = unquote(a[k])
    if ((i ? tolower(x) : x) == item) return 1
  }
  return 0
}
function cvalcontains(v, item, i) { return valcontains(v, "_", item, i) }
function rvalcontains(v, item, i) { return valcontains(v, ";", item, i) }

function strip(s) {
  gsub(/^[[:space:]]+|[[:space:]]+$/, "", s)
  return s
}
function lstrip(s) {
  sub(/^[[:space:]]+/, "", s)
  return s
}
function rstrip(s) {
  sub(/[[:space:]]+$/, "", s)
  return s
}
function chomp(s) { return rstrip(s) }

function join(a, sep,    n, i, s) {
  n = length(a)
  s = n ? a[1] : ""
  for (i = 2; i <= n; i++) s = s sep a[i]
  return s
}

# Items of a repeating value: all (num empty or 0) or those at the positions of num ("2",
# "1;3"; negative positions count from the end), joined with osep (default OFS).
function t2split(v, sep, num, osep,    n, items, k, sel, i, j, s) {
  if (osep == "") osep = OFS
  n = _t2_splitrep(v, items, sep)
  if (num == "" || num == 0) return join(items, osep)
  k = split(num, sel, /[,;]/)
  s = ""
  for (i = 1; i <= k; i++) {
    j = sel[i] + 0
    if (j < 0) j = n + 1 + j
    s = s (i > 1 ? osep : "") ((j >= 1 && j <= n) ? items[j] : "")
  }
  return s
}
function splitc(v, num, osep) { return t2split(v, "_", num, osep) }
function splitr(v, num, osep) { return t2split(v, ";", num, osep) }

# ---- protocols, flags, plugins' status columns ----------------------------------------------

function proto2str(p) {
  if (p == "") p = $(_t2_l4())
  if (!__P_init) {
    __P_init = 1
    __P[0] = "HOPOPT"; __P[1] = "ICMP"; __P[2] = "IGMP"; __P[4] = "IPIP"; __P[6] = "TCP"
    __P[8] = "EGP"; __P[9] = "IGP"; __P[17] = "UDP"; __P[41] = "IPv6"; __P[43] = "IPv6-Route"
    __P[44] = "IPv6-Frag"; __P[46] = "RSVP"; __P[47] = "GRE"; __P[50] = "ESP"; __P[51] = "AH"
    __P[58] = "ICMP6"; __P[59] = "IPv6-NoNxt"; __P[60] = "IPv6-Opts"; __P[88] = "EIGRP"
    __P[89] = "OSPF"; __P[103] = "PIM"; __P[112] = "VRRP"; __P[115] = "L2TP"; __P[132] = "SCTP"
    __P[136] = "UDPLite"; __P[137] = "MPLS-in-IP"
  }
  return (p "" ~ /^[0-9]+$/ && (p + 0) in __P) ? __P[p + 0] : p
}

# Without v: the flags as WEUAPRSF ('.' for a clear bit). With v: letters that must be set,
# then optionally '!' and letters that must be clear.
function tcpflags(v,    c, f, s, i, p, want, clr, letters) {
  c = _t2_col("tcpFlags", "tcpFlags", _my_tcpFlags)
  letters = "FSRPAUEW"
  if (v == "") {
    if (NR == __HDRROW__) return $c
    f = strtonum($c)
    s = ""
    for (i = 7; i >= 0; i--) s = s (and(f, lshift(1, i)) ? substr(letters, i + 1, 1) : ".")
    return s
  }
  if (NR == __HDRROW__) return __PRIHDR__
  f = strtonum($c)
  v = toupper(v)
  p = index(v, "!")
  want = p ? substr(v, 1, p - 1) : v
  clr = p ? substr(v, p + 1) : ""
  for (i = 1; i <= length(want); i++) {
    p = index(letters, substr(want, i, 1))
    if (p && !and(f, lshift(1, p - 1))) return 0
  }
  for (i = 1; i <= length(clr); i++) {
    p = index(letters, substr(clr, i, 1))
    if (p && and(f, lshift(1, p - 1))) return 0
  }
  return 1
}

function dns(    s) {
  if (NR == __HDRROW__) return __PRIHDR__
  s = strtonum($(_t2_col("dnsStat", "dnsStat", _my_dnsStat)))
  return s != 0 && !and(s, 2)
}
function http() {
  if (NR == __HDRROW__) return __PRIHDR__
  return strtonum($(_t2_col("httpStat", "httpStat", _my_httpStat))) != 0
}
function dhcp() {
  if (NR == __HDRROW__) return __PRIHDR__
  return strtonum($(_t2_col("dhcpStat", "dhcpStat", _my_dhcpStat))) != 0
}

# MAC addresses of one side (1 source, 2 destination), distinct, in order, joined by ';'.
function _t2_macs(side,    c, n, i, a, p, s, seen, m) {
  if ("srcMac_dstMac_numP" in COL) {
    c = COL["srcMac_dstMac_numP"]
    if (NR == __HDRROW__) return side == 1 ? "srcMac" : "dstMac"
    n = _t2_splitrep($c, a, ";")
    s = ""
    for (i = 1; i <= n; i++) {
      split(a[i], p, "_")
      m = p[side]
      if (m == "" || m in seen) continue
      seen[m] = 1
      s = s (s == "" ? "" : ";") m
    }
    return s
  }
  c = side == 1 ? _t2_col("srcMac", "srcMac", _my_srcMac) : _t2_col("dstMac", "dstMac", _my_dstMac)
  return $c
}

function _t2_macmatch(list, m,    n, i, a) {
  n = split(list, a, ";")
  for (i = 1; i <= n; i++) if (a[i] ~ m) return 1
  return 0
}

function mac(m) {
  if (m == "") return _t2_macs(1) OFS _t2_macs(2)
  if (NR == __HDRROW__) return __PRIHDR__
  return _t2_macmatch(_t2_macs(1), m) || _t2_macmatch(_t2_macs(2), m)
}
function smac(m) {
  if (m == "") return _t2_macs(1)
  if (NR == __HDRROW__) return __PRIHDR__
  return _t2_macmatch(_t2_macs(1), m)
}
function dmac(m) {
  if (m == "") return _t2_macs(2)
  if (NR == __HDRROW__) return __PRIHDR__
  return _t2_macmatch(_t2_macs(2), m)
}
function ether(m) { return mac(m) }
function sether(m) { return smac(m) }
function dether(m) { return dmac(m) }

# The fields whose column name matches the regular expression (with a leading '!': does not).
function wildcard(expr,    neg, i, s, n) {
  neg = substr(expr, 1, 1) == "!"
  if (neg) expr = substr(expr, 2)
  s = ""
  n = 0
  for (i = 1; i <= NF; i++) {
    if (((COL[i] ~ expr) ? 1 : 0) != neg) s = s (n++ ? OFS : "") $i
  }
  return s
}

# ---- time and human-readable numbers ------------------------------------------------------

function _t2_time(t, inutc,    s, p, frac) {
  if (t !~ /^[0-9]+(\.[0-9]*)?$/) return t
  p = index(t, ".")
  s = p ? substr(t, 1, p - 1) + 0 : t + 0
  frac = p ? substr(t, p) : ""
  if (inutc) return strftime("%Y-%m-%d %H:%M:%S", s, 1) frac "Z"
  return strftime("%Y-%m-%d %H:%M:%S", s) frac strftime("%z", s)
}
function utc(t) { return _t2_time(t, 1) }
function localtime(t) { return _t2_time(t, 0) }

# A date (YYYY-MM-DD HH:MM:SS[.frac][Z], or anything date -d reads) as Unix time.
function timestamp(d,    frac, cmd, s, q) {
  frac = ""
  if (match(d, /\.[0-9]+/)) {
    frac = substr(d, RSTART, RLENGTH)
    d = substr(d, 1, RSTART - 1) substr(d, RSTART + RLENGTH)
  }
  q = d
  gsub(/'/, "'\\''", q)
  cmd = "date -d '" q "' +%s"
  s = ""
  cmd | getline s
  close(cmd)
  return s frac
}

# 1234567 -> "1.23 M" (mode 1 or "b": steps of 1024 and Ki, Mi, ...); suffix follows the unit.
function hrnum(n, mode, suffix,    base, units, u, i, v, neg) {
  base = (mode == 1 || mode == "b") ? 1024 : 1000
  units = base == 1024 ? "Ki Mi Gi Ti Pi Ei" : "K M G T P E"
  split(units, u, " ")
  neg = n < 0
  v = neg ? -n : n
  if (v < base) return n (suffix == "" ? "" : " " suffix)
  for (i = 0; v >= base && i < 6; i++) v /= base
  return sprintf("%s%.2f %s%s", neg ? "-" : "", v, u[i], suffix)
}

# 93784.5 -> "1d 02:03:04.500" (mode 1: "26h 3m 4.500s"); unit "ms"/"us"/"ns" if s is not in seconds.
function hrtime(s, mode, unit,    d, h, m) {
  if (unit == "ms") s /= 1000
  else if (unit == "us") s /= 1000000
  else if (unit == "ns") s /= 1000000000
  if (mode == 1) {
    h = int(s / 3600)
    m = int((s - h * 3600) / 60)
    return (h ? h "h " : "") (h || m ? m "m " : "") sprintf("%.3fs", s - h * 3600 - m * 60)
  }
  d = int(s / 86400)
  s -= d * 86400
  h = int(s / 3600)
  s -= h * 3600
  m = int(s / 60)
  s -= m * 60
  return (d ? d "d " : "") sprintf("%02d:%02d:%06.3f", h, m, s)
}

# ---- messages -----------------------------------------------------------------------------

function _t2_say(s, color, dest, nonl, tty) {
  if (tty) s = "\033[" color "m" s "\033[0m"
  printf "%s%s", s, (nonl ? "" : "\n") > dest
}
function printerr(s, nonl) { _t2_say(s, "0;31", "/dev/stderr", nonl, __T2_COLOR_ERR__) }
function printwrn(s, nonl) { _t2_say(s, "0;33", "/dev/stderr", nonl, __T2_COLOR_ERR__) }
function printinf(s, nonl) { _t2_say(s, "0;34", "/dev/stdout", nonl, __T2_COLOR_OUT__) }
function printok(s, nonl) { _t2_say(s, "0;32", "/dev/stdout", nonl, __T2_COLOR_OUT__) }
function printbold(s, nonl) { _t2_say(s, "1", "/dev/stdout", nonl, __T2_COLOR_OUT__) }
`;
