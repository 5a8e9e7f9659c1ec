package org.p2pchat.cli.ref;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A small Internet of network namespaces for tests of NAT traversal, with real processes
 * behind real nftables NATs:
 *
 * <pre>
 *             Internet namespace: bridge br0 (203.0.113.0/24), UDP counters
 *        port s                 port r0                      port r1             ...
 *          |                       |                            |
 *   server: eth0             router 0: wan0 203.0.113.21   router 1: wan0 203.0.113.22
 *     203.0.113.10             NAT and firewall              NAT and firewall
 *                              bridge lan0 192.168.1.1       bridge lan0 192.168.2.1 (same subnet: .1.1)
 *                                  | port h0                    | port h0
 *                            host 0.0: eth0 192.168.1.2    host 1.0: eth0 192.168.2.2 (.1.2)
 *                            (host 0.1: .3, on port h1, and so on, when a network has more)
 * </pre>
 *
 * <p>Every router drops unsolicited inbound traffic as a home router does ({@code input}
 * chain: policy drop, {@code ct state established,related} and the LAN accepted); it
 * forwards what the LAN sends out and what comes back. A {@link Nat#HOME_ROUTER} masquerades
 * keeping the host's port (one mapping whatever the destination, so hole punching works); a
 * {@link Nat#SYMMETRIC} one masquerades with {@code random} (a new port per destination, so
 * punching fails and only a relay helps). No router hairpins: hosts behind the same router
 * reach each other by their private addresses only, not by their mapped public ones. The
 * Internet's bridge counts the UDP packets that cross it between every pair of public
 * addresses, each router what it dropped and what its LAN switched ({@link #traffic()}).
 *
 * <p>Namespace names are unique per JVM and lab ({@code p2pn-<pid in base 36>-<lab
 * number><role>}, such as {@code p2pn-1e3f-2r0}); every interface is created inside its
 * namespace, so none is ever named in the root namespace. {@link #close()} kills what still
 * runs in the lab's namespaces and deletes them, also after
 * a failed build. Needs root, {@code ip} and {@code nft}: {@link Builder#build()} skips the
 * test (JUnit assumption, saying why) only when those are missing or the kernel refuses a
 * namespace; any later failure fails it. Not thread-safe: one test thread drives a lab.
 */
final class NatLab implements AutoCloseable {
  /** How a private network's router maps its hosts' flows to its public address. */
  enum Nat {
    /**
     * {@code masquerade}: the host's port is kept where it is free, the same mapping for every
     * destination (endpoint-independent mapping); inbound only on a flow the host opened to
     * that very address and port (address- and port-dependent filtering).
     */
    HOME_ROUTER,
    /** {@code masquerade random}: a fresh public port for every destination (endpoint-dependent mapping). */
    SYMMETRIC
  }

  /** The server's namespace's address on the Internet bridge. */
  static final String SERVER_ADDRESS = "203.0.113.10";
  /** At most this many private networks: their public addresses are .21 to .28. */
  static final int MAX_NETWORKS = 8;
  /** At most this many hosts on one private network: 192.168.x.2 to .9. */
  static final int MAX_HOSTS = 8;

  private static final String ID = Long.toString(ProcessHandle.current().pid() % 1_000_000, 36);
  private static final AtomicInteger LABS = new AtomicInteger();
  private static final Pattern COUNTER = Pattern.compile("counter (\\S+) \\{\\s*packets (\\d+) bytes (\\d+)");
  private static final String TRAFFIC_TABLE = "p2pnat_traffic";
  private static final String ROUTER_TABLE = "p2pnat";
  private static final String LOSS_TABLE = "p2pnat_loss";
  private static final String LAN_TABLE = "p2pnat_lan";

  private final String prefix;
  private final List<Nat> nats;
  private final List<Integer> hosts;
  private final boolean sameLanSubnet;
  private final List<String> created = new ArrayList<>();
  private final Set<String> cuts = new HashSet<>();

  private NatLab(List<Nat> nats, List<Integer> hosts, boolean sameLanSubnet) {
    this.prefix = "p2pn-" + ID + "-" + LABS.incrementAndGet();
    this.nats = List.copyOf(nats);
    this.hosts = List.copyOf(hosts);
    this.sameLanSubnet = sameLanSubnet;
  }

  /** A lab with no private networks yet: add them with {@link Builder#network(Nat)}. */
  static Builder builder() {
    return new Builder();
  }

  /** Collects the private networks; {@link #build()} makes the namespaces. */
  static final class Builder {
    private final List<Nat> nats = new ArrayList<>();
    private final List<Integer> hosts = new ArrayList<>();
    private boolean sameLanSubnet;

    private Builder() {}

    /** Adds private network number {@code networks-so-far} with one host, its router translating as {@code nat}. */
    Builder network(Nat nat) {
      return network(nat, 1);
    }

    /**
     * Adds private network number {@code networks-so-far} with {@code hosts} hosts (1 to
     * {@value #MAX_HOSTS}) on one LAN, its router translating as {@code nat}.
     */
    Builder network(Nat nat, int hosts) {
      if (hosts < 1 || hosts > MAX_HOSTS) {
        throw new IllegalArgumentException("a private network has 1 to " + MAX_HOSTS + " hosts, not " + hosts);
      }
      nats.add(nat);
      this.hosts.add(hosts);
      return this;
    }

    /**
     * Puts every private network on 192.168.1.0/24 (router .1, host .2), as homes often are;
     * by default network {@code n} is 192.168.{n+1}.0/24.
     */
    Builder sameLanSubnet() {
      sameLanSubnet = true;
      return this;
    }

    /**
     * Builds the namespaces, links, addresses, routes and rules (about 0.3 s here for 7
     * namespaces; {@link #close()} takes about 0.1 s).
     *
     * @throws org.opentest4j.TestAbortedException when {@code ip} or {@code nft} is missing or
     *     the kernel refuses a network namespace
     * @throws AssertionError when any later step fails (what was made is deleted again)
     */
    NatLab build() throws Exception {
      if (nats.isEmpty() || nats.size() > MAX_NETWORKS) {
        throw new IllegalArgumentException("a lab has 1 to " + MAX_NETWORKS + " private networks, not " + nats.size());
      }
      Assumptions.assumeTrue(onPath("ip"), "skipped: no 'ip' command (iproute2); .ci/install-test-deps installs it");
      Assumptions.assumeTrue(onPath("nft"), "skipped: no 'nft' command (nftables); .ci/install-test-deps installs it");
      NatLab lab = new NatLab(nats, hosts, sameLanSubnet);
      try {
        lab.create();
      } catch (Throwable t) {
        try {
          lab.close();
        } catch (Throwable c) {
          t.addSuppressed(c);
        }
        throw t;
      }
      return lab;
    }
  }

  /** The namespace on the Internet that holds the server (and whatever else plays a public host). */
  String server() {
    return prefix + "s";
  }

  /** The namespace of the (first) host behind router {@code network}: {@code host(network, 0)}. */
  String host(int network) {
    return host(network, 0);
  }

  /** The namespace of host {@code host} (from 0) behind router {@code network}. */
  String host(int network, int host) {
    check(network, host);
    return prefix + "h" + network + "." + host;
  }

  /** The namespace of router {@code network} (its NAT and firewall). */
  String router(int network) {
    check(network);
    return prefix + "r" + network;
  }

  /** The Internet's namespace: the bridge that joins the server and the routers' WAN sides. */
  String internet() {
    return prefix + "i";
  }

  /** How many private networks there are: they are numbered from 0. */
  int networks() {
    return nats.size();
  }

  /** How many hosts there are behind router {@code network}: they are numbered from 0. */
  int hosts(int network) {
    check(network);
    return hosts.get(network);
  }

  /** Every namespace the lab made and {@link #close()} deletes, the Internet's first. */
  List<String> namespaces() {
    return List.copyOf(created);
  }

  /** How router {@code network} translates. */
  Nat nat(int network) {
    check(network);
    return nats.get(network);
  }

  /** The server namespace's address, {@value #SERVER_ADDRESS}. */
  InetAddress serverAddress() {
    return address(SERVER_ADDRESS);
  }

  /** Router {@code network}'s address on the Internet (its WAN side): 203.0.113.{21+network}. */
  InetAddress publicAddress(int network) {
    check(network);
    return address(publicIp(network));
  }

  /** The private address of the (first) host behind router {@code network}: 192.168.{n+1 or 1}.2. */
  InetAddress hostAddress(int network) {
    return hostAddress(network, 0);
  }

  /** The private address of host {@code host} behind router {@code network}: 192.168.{n+1 or 1}.{2+host}. */
  InetAddress hostAddress(int network, int host) {
    check(network, host);
    return address(lan(network) + (2 + host));
  }

  /** {@code ip netns exec NAMESPACE}: put it before a command to run that command in the namespace. */
  List<String> prefix(String namespace) {
    return List.of("ip", "netns", "exec", namespace);
  }

  /** A process builder for {@code command} in {@code namespace}; the caller starts it and redirects its output. */
  ProcessBuilder processBuilder(String namespace, String... command) {
    List<String> all = new ArrayList<>(prefix(namespace));
    all.addAll(List.of(command));
    return new ProcessBuilder(all).redirectErrorStream(true);
  }

  /** Runs {@code command} in {@code namespace} to its end (at most 30 s) and returns its exit status and output. */
  Run exec(String namespace, String... command) throws Exception {
    return run(null, processBuilder(namespace, command).command().toArray(new String[0]));
  }

  /**
   * Makes router {@code a} drop UDP between its hosts and router {@code b}'s public address,
   * in its forward chain, before the rule that lets established flows through: the direct
   * path between the two networks' hosts is gone (established flows included) while both
   * still reach the server. Dropped packets count in {@link Traffic#cut(int)}. Idempotent.
   */
  void cutDirect(int a, int b) throws Exception {
    check(a);
    check(b);
    cuts.add(a + ">" + b);
    must(exec(router(a), "nft", "add", "element", "ip", ROUTER_TABLE, "cut", "{ " + publicIp(b) + " }"),
        "cutDirect(" + a + ", " + b + ")");
  }

  /** Undoes {@link #cutDirect(int, int)}; idempotent. */
  void restoreDirect(int a, int b) throws Exception {
    check(b);
    // nft 1.0.6 has no "destroy element", and "delete element" fails on one that is not there.
    if (cuts.remove(a + ">" + b)) {
      must(exec(router(a), "nft", "delete", "element", "ip", ROUTER_TABLE, "cut", "{ " + publicIp(b) + " }"),
          "restoreDirect(" + a + ", " + b + ")");
    }
  }

  /**
   * Drops {@code percent}% of the UDP datagrams arriving at router {@code network}'s WAN side,
   * at random ({@code numgen random mod 100 < percent drop} on a netdev ingress hook); 0 stops
   * dropping. Only UDP, the traffic under test: a lost ARP answer would stall the link for its
   * 1 s retry, and the IGMP reports that new links send for their first seconds would blur
   * {@link Traffic#lost(int)}, which counts the dropped datagrams.
   */
  void randomLoss(int network, int percent) throws Exception {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("loss is 0 to 100 percent, not " + percent);
    }
    String rules = "flush chain netdev " + LOSS_TABLE + " wan_in\n"
        + (percent == 0 ? "" : "add rule netdev " + LOSS_TABLE + " wan_in ip protocol udp numgen random mod 100 < " + percent
            + " counter name \"lost\" drop\n");
    must(nft(router(network), rules), "randomLoss(" + network + ", " + percent + ")");
  }

  /**
   * Sets router {@code network}'s conntrack UDP timeouts, that is how long its NAT mappings
   * and holes live after their last packet, in seconds: {@code unreplied} for a flow seen one
   * way only (Linux's default 30), {@code replied} for one seen both ways (default 120). A flow
   * takes the new value at its next packet.
   */
  void udpTimeouts(int network, int unreplied, int replied) throws Exception {
    if (unreplied < 1 || replied < 1) {
      throw new IllegalArgumentException("UDP timeouts are at least 1 s, not " + unreplied + " and " + replied);
    }
    must(exec(router(network), "sysctl", "-qw", "net.netfilter.nf_conntrack_udp_timeout=" + unreplied,
        "net.netfilter.nf_conntrack_udp_timeout_stream=" + replied), "udpTimeouts(" + network + ")");
  }

  /**
   * Router {@code network}'s live UDP conntrack entries, its NAT mappings, one line each as
   * {@code /proc/net/nf_conntrack} lists them: {@code ... udp 17 SECONDS_LEFT src=HOST
   * dst=PEER sport=P dport=Q [UNREPLIED] src=PEER dst=PUBLIC sport=Q dport=MAPPED ...}.
   */
  List<String> conntrack(int network) throws Exception {
    Run listed = exec(router(network), "cat", "/proc/net/nf_conntrack");
    must(listed, "conntrack(" + network + ")");
    return listed.output().lines().filter(line -> line.contains(" udp ")).toList();
  }

  /**
   * The public address and port that router {@code network} maps {@code port} of its host
   * {@code host} to, for the flow to {@code destination}; empty when it holds no such flow
   * (never opened, or timed out).
   */
  Optional<InetSocketAddress> mapping(int network, int host, int port, InetSocketAddress destination)
      throws Exception {
    Pattern flow = Pattern.compile("src=" + Pattern.quote(hostAddress(network, host).getHostAddress())
        + " dst=" + Pattern.quote(destination.getAddress().getHostAddress()) + " sport=" + port
        + " dport=" + destination.getPort() + " .*src=\\S+ dst=(\\S+) sport=\\d+ dport=(\\d+) ");
    for (String entry : conntrack(network)) {
      Matcher m = flow.matcher(entry);
      if (m.find()) {
        return Optional.of(new InetSocketAddress(address(m.group(1)), Integer.parseInt(m.group(2))));
      }
    }
    return Optional.empty();
  }

  /** The lab's counters now: compare two snapshots with {@link Traffic#since(Traffic)}. */
  Traffic traffic() throws Exception {
    Map<String, Long> counters = new HashMap<>(readCounters(internet(), ""));
    for (int n = 0; n < networks(); n++) {
      counters.putAll(readCounters(router(n), "r" + n + "."));
    }
    return new Traffic(Collections.unmodifiableMap(counters));
  }

  /**
   * Packet counters, UDP only, from the Internet bridge (what crossed it, by source and
   * destination public address) and from each router (what it dropped and why).
   */
  static final class Traffic {
    private final Map<String, Long> packets;

    private Traffic(Map<String, Long> packets) {
      this.packets = packets;
    }

    /** UDP packets that crossed the Internet from router {@code from}'s public address to router {@code to}'s. */
    long direct(int from, int to) {
      return get("r" + from + "_r" + to);
    }

    /** UDP packets between any two routers' public addresses, both ways: the peer-to-peer traffic. */
    long directTotal() {
      long sum = 0;
      for (Map.Entry<String, Long> e : packets.entrySet()) {
        if (e.getKey().matches("r\\d+_r\\d+")) {
          sum += e.getValue();
        }
      }
      return sum;
    }

    /** UDP packets from router {@code network}'s public address to the server namespace. */
    long toServer(int network) {
      return get("r" + network + "_s");
    }

    /** UDP packets from the server namespace to router {@code network}'s public address. */
    long fromServer(int network) {
      return get("s_r" + network);
    }

    /** UDP packets between hosts behind router {@code network}, switched on its LAN (never NATed). */
    long lan(int network) {
      return get("r" + network + ".lan");
    }

    /** UDP packets router {@code network} dropped at its input: unsolicited, no flow of its host's matched them. */
    long unsolicited(int network) {
      return get("r" + network + ".unsolicited");
    }

    /** UDP packets router {@code network} dropped because of {@link NatLab#cutDirect(int, int)}. */
    long cut(int network) {
      return get("r" + network + ".cut");
    }

    /** UDP datagrams router {@code network}'s WAN side lost to {@link NatLab#randomLoss(int, int)}. */
    long lost(int network) {
      return get("r" + network + ".lost");
    }

    /** The counts since {@code earlier} (every counter only grows). */
    Traffic since(Traffic earlier) {
      Map<String, Long> diff = new HashMap<>();
      packets.forEach((k, v) -> diff.put(k, v - earlier.packets.getOrDefault(k, 0L)));
      return new Traffic(Collections.unmodifiableMap(diff));
    }

    private long get(String counter) {
      Long value = packets.get(counter);
      if (value == null) {
        throw new IllegalArgumentException("no counter " + counter + " in " + packets.keySet());
      }
      return value;
    }

    @Override
    public String toString() {
      return new java.util.TreeMap<>(packets).toString();
    }
  }

  /**
   * Kills every process still running in the lab's namespaces (by its pid, as {@code ip netns
   * pids} lists them), then deletes the namespaces, which takes their interfaces and rules with
   * them. Safe to call twice and after a failed build.
   */
  @Override
  public void close() throws IOException {
    List<String> failures = new ArrayList<>();
    try {
      for (String ns : created) {
        Run pids = runToEnd(null, "ip", "netns", "pids", ns);
        for (String pid : pids.output().strip().split("\\s+")) {
          if (!pid.isEmpty()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
              p.destroyForcibly();
              p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
            });
          }
        }
      }
      for (int i = created.size() - 1; i >= 0; i--) {
        Run deleted = runToEnd(null, "ip", "netns", "del", created.get(i));
        if (deleted.exit() != 0) {
          failures.add(created.get(i) + ": " + deleted.output().strip());
        }
      }
    } finally {
      created.clear();
    }
    if (!failures.isEmpty()) {
      throw new IOException("could not delete the lab's namespaces: " + failures);
    }
  }

  /** {@link #run} that finishes its command even when interrupted, and then sets the flag again. */
  private static Run runToEnd(String input, String... command) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return run(input, command);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The exit status and output (stdout and stderr together) of a finished command. */
  record Run(int exit, String output) {}

  private void create() throws Exception {
    String inet = internet();
    String server = server();
    // A killed earlier JVM with the same pid (mod 10^6) may have left namespaces of these names.
    List<String> all = new ArrayList<>(List.of(inet, server));
    for (int n = 0; n < networks(); n++) {
      all.add(router(n));
      for (int h = 0; h < hosts(n); h++) {
        all.add(host(n, h));
      }
    }
    for (String ns : all) {
      run(null, "ip", "netns", "del", ns);
    }
    Run probe = run(null, "ip", "netns", "add", inet);
    Assumptions.assumeTrue(probe.exit() == 0,
        "skipped: the kernel or user refused a network namespace (root needed): " + probe.output().strip());
    created.add(inet);
    quiet(inet);
    must("ip", "-n", inet, "link", "add", "br0", "type", "bridge");
    must("ip", "-n", inet, "link", "set", "br0", "up");

    addNamespace(server);
    attach(server, "eth0", "s", SERVER_ADDRESS);

    for (int n = 0; n < networks(); n++) {
      String router = router(n);
      addNamespace(router);
      attach(router, "wan0", "r" + n, publicIp(n));
      // The LAN is a bridge in the router, one port per host, its address the hosts' gateway.
      must("ip", "-n", router, "link", "add", "lan0", "type", "bridge");
      must("ip", "-n", router, "addr", "add", lan(n) + "1/24", "dev", "lan0");
      must("ip", "-n", router, "link", "set", "lan0", "up");
      for (int h = 0; h < hosts(n); h++) {
        String host = host(n, h);
        addNamespace(host);
        must("ip", "-n", router, "link", "add", "h" + h, "type", "veth", "peer", "name", "eth0", "netns", host);
        must("ip", "-n", router, "link", "set", "h" + h, "master", "lan0");
        must("ip", "-n", router, "link", "set", "h" + h, "up");
        must("ip", "-n", host, "addr", "add", lan(n) + (2 + h) + "/24", "dev", "eth0");
        must("ip", "-n", host, "link", "set", "eth0", "up");
        must("ip", "-n", host, "route", "add", "default", "via", lan(n) + "1");
      }
      must("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      must(nft(router, routerRules(nats.get(n))), "the rules of router " + n);
    }
    must(nft(inet, trafficRules()), "the Internet's counters");
  }

  private void addNamespace(String ns) throws Exception {
    must("ip", "netns", "add", ns);
    created.add(ns);
    quiet(ns);
  }

  /**
   * Loopback up, IPv6 off before any interface exists: the lab is IPv4 only, and without this
   * every new link sends IPv6 neighbour discovery and MLD for its first seconds, which the
   * counters and the random loss would see. Bridges only switch: where br_netfilter is built
   * in (as here), {@code bridge-nf-call-iptables} is 1 in every new namespace, and bridged
   * frames would pass the namespace's ip hooks, a LAN's own traffic its router's forward
   * chain ({@code -e}: no error where br_netfilter is absent).
   */
  private static void quiet(String ns) throws Exception {
    must("ip", "netns", "exec", ns, "sysctl", "-qwe", "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1", "net.bridge.bridge-nf-call-iptables=0",
        "net.bridge.bridge-nf-call-ip6tables=0", "net.bridge.bridge-nf-call-arptables=0");
    must("ip", "-n", ns, "link", "set", "lo", "up");
  }

  /** A veth from {@code ns} (named {@code inside}) to a port of the Internet's bridge. */
  private void attach(String ns, String inside, String port, String ip) throws Exception {
    String inet = internet();
    must("ip", "-n", ns, "link", "add", inside, "type", "veth", "peer", "name", port, "netns", inet);
    must("ip", "-n", inet, "link", "set", port, "master", "br0");
    must("ip", "-n", inet, "link", "set", port, "up");
    must("ip", "-n", ns, "addr", "add", ip + "/24", "dev", inside);
    must("ip", "-n", ns, "link", "set", inside, "up");
  }

  /**
   * A home router's firewall and NAT. The input chain's drop is what makes punching work: a
   * router that accepted a peer's early punch would own a conntrack entry for it, and its
   * masquerade would then remap its host's port (docs: DESIGN section 10). Named counters
   * replace the policy's silent drop so that tests can see what was dropped where.
   */
  private static String routerRules(Nat nat) {
    return "table ip " + ROUTER_TABLE + " {\n"
        + "  set cut { type ipv4_addr; }\n"
        + "  counter unsolicited {}\n"
        + "  counter cut {}\n"
        + "  chain input { type filter hook input priority 0; policy drop;\n"
        + "    ct state established,related accept\n"
        + "    iifname \"lan0\" accept\n"
        + "    meta l4proto udp counter name \"unsolicited\" drop\n"
        + "  }\n"
        + "  chain forward_lan { type filter hook forward priority 0; policy drop;\n"
        + "    ip daddr @cut meta l4proto udp counter name \"cut\" drop\n"
        + "    ip saddr @cut meta l4proto udp counter name \"cut\" drop\n"
        + "    ct state established,related accept\n"
        + "    iifname \"lan0\" oifname \"wan0\" accept\n"
        + "  }\n"
        + "  chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
        + "    oifname \"wan0\" masquerade" + (nat == Nat.SYMMETRIC ? " random" : "") + "\n"
        + "  }\n"
        + "}\n"
        + "table bridge " + LAN_TABLE + " {\n"
        + "  counter lan {}\n"
        + "  chain forward { type filter hook forward priority 0; policy accept;\n"
        + "    meta l4proto udp counter name \"lan\"\n"
        + "  }\n"
        + "}\n"
        + "table netdev " + LOSS_TABLE + " {\n"
        + "  counter lost {}\n"
        + "  chain wan_in { type filter hook ingress device \"wan0\" priority 0; policy accept; }\n"
        + "}\n";
  }

  /** One named counter per ordered pair of public addresses, for UDP crossing the bridge. */
  private String trafficRules() {
    List<String[]> ends = new ArrayList<>();
    ends.add(new String[] {"s", SERVER_ADDRESS});
    for (int n = 0; n < networks(); n++) {
      ends.add(new String[] {"r" + n, publicIp(n)});
    }
    StringBuilder counters = new StringBuilder();
    StringBuilder rules = new StringBuilder();
    for (String[] from : ends) {
      for (String[] to : ends) {
        if (from != to) {
          String name = from[0] + "_" + to[0];
          counters.append("  counter ").append(name).append(" {}\n");
          rules.append("    ip saddr ").append(from[1]).append(" ip daddr ").append(to[1])
              .append(" meta l4proto udp counter name \"").append(name).append("\"\n");
        }
      }
    }
    return "table bridge " + TRAFFIC_TABLE + " {\n" + counters
        + "  chain forward { type filter hook forward priority 0; policy accept;\n" + rules + "  }\n}\n";
  }

  private Map<String, Long> readCounters(String ns, String keyPrefix) throws Exception {
    Run listed = exec(ns, "nft", "list", "counters");
    must(listed, "nft list counters in " + ns);
    Map<String, Long> counters = new HashMap<>();
    Matcher m = COUNTER.matcher(listed.output());
    while (m.find()) {
      counters.put(keyPrefix + m.group(1), Long.parseLong(m.group(2)));
    }
    return counters;
  }

  private Run nft(String ns, String rules) throws Exception {
    return run(rules, "ip", "netns", "exec", ns, "nft", "-f", "-");
  }

  private String lan(int network) {
    return "192.168." + (sameLanSubnet ? 1 : network + 1) + ".";
  }

  private static String publicIp(int network) {
    return "203.0.113." + (21 + network);
  }

  private void check(int network) {
    if (network < 0 || network >= nats.size()) {
      throw new IndexOutOfBoundsException("network " + network + " of " + nats.size());
    }
  }

  private void check(int network, int host) {
    check(network);
    if (host < 0 || host >= hosts.get(network)) {
      throw new IndexOutOfBoundsException("host " + host + " of " + hosts.get(network) + " behind router " + network);
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static Run run(String input, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // A command that exits before reading its input says why in its output.
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after 30 s: " + String.join(" ", command));
    }
    return new Run(p.exitValue(), output);
  }

  private static void must(String... command) throws Exception {
    must(run(null, command), String.join(" ", command));
  }

  private static void must(Run r, String what) {
    if (r.exit() != 0) {
      throw new AssertionError(what + " failed (exit " + r.exit() + "): " + r.output().strip());
    }
  }

  private static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/sbin", command));
  }
}
