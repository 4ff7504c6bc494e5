package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which http(s) URLs a source may fetch, and how: the one check behind URL sources, applied when a
 * job spec is read and again on the node that fetches (after its own DNS resolution, connecting
 * only to the address it checked, so a name that resolves differently the second time gains
 * nothing).
 *
 * <p>Restricted (the service): the URL's host must be on {@link #allowHosts} (a name compared
 * without letter case, {@code *.example.com} for its sub-domains, or an IP literal), and every
 * address it resolves to must be public: loopback, link-local (cloud metadata
 * {@code 169.254.169.254} among them), private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7),
 * unspecified and multicast addresses are refused unless the address itself is listed. An empty
 * list refuses every URL. Unrestricted (the command line, {@link #unrestricted()}): any host.
 * Either way redirects are not followed, connecting and each read wait at most their timeouts,
 * and a body longer than {@link #maxBytes} is an {@code Err}.
 *
 * @param restricted     whether {@code allowHosts} applies
 * @param allowHosts     the hosts URL sources may name (config {@code fetch.allowHosts})
 * @param connectTimeout the longest a connection may take to open (> 0; {@code fetch.connectTimeout})
 * @param readTimeout    the longest the server may stay silent once connected (> 0; {@code fetch.readTimeout})
 * @param maxBytes       the most body bytes read from one URL (> 0; {@code fetch.maxBytes})
 */
public record UrlPolicy(boolean restricted, List<String> allowHosts, Duration connectTimeout, Duration readTimeout,
                        long maxBytes) {

    /** Default {@link #connectTimeout}: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #readTimeout}: 30 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #maxBytes}: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public UrlPolicy {
        allowHosts = requireNonNull(allowHosts, "allowHosts").stream()
                .map(h -> requireNonNull(h, "allowHosts[]").trim().toLowerCase(Locale.ROOT)).toList();
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
    }

    /** Any host (the command line, where the user fetches their own URLs); default timeouts and cap. */
    public static UrlPolicy unrestricted() {
        return new UrlPolicy(false, List.of(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    /** Only the given hosts (empty: no URL at all); default timeouts and cap. */
    public static UrlPolicy allowing(List<String> hosts) {
        return new UrlPolicy(true, hosts, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    public UrlPolicy withTimeouts(Duration connectTimeout, Duration readTimeout) {
        return new UrlPolicy(restricted, allowHosts, connectTimeout, readTimeout, maxBytes);
    }

    public UrlPolicy withMaxBytes(long maxBytes) {
        return new UrlPolicy(restricted, allowHosts, connectTimeout, readTimeout, maxBytes);
    }

    /**
     * Why {@code url} may not be fetched, judged on its text alone (scheme and host), or empty.
     * Reads no network.
     */
    public Optional<String> refusalOf(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("malformed URL '" + url + "': " + e.getMessage() + "; write it as http://host[:port]/path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(url + ": only http and https URLs are read");
        }
        if (uri.getHost() == null) {
            return Optional.of("malformed URL '" + url + "': no host; write it as http://host[:port]/path");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of(url + ": a URL with a user name or password is not fetched; remove the user info");
        }
        String host = bare(uri.getHost());
        if (restricted && !listed(host)) {
            return Optional.of(url + ": host " + host + " is not on the allow-list fetch.allowHosts "
                    + (allowHosts.isEmpty() ? "(empty: this service fetches no URL)" : allowHosts)
                    + "; ask the operator to add it, or give a file under an input root");
        }
        return Optional.empty();
    }

    /**
     * Why {@code url} may not be fetched from {@code address} (one address its host resolved to), or
     * empty. Unrestricted: never refused.
     */
    public Optional<String> refusalOf(String url, InetAddress address) {
        requireNonNull(address, "address");
        if (!restricted || !special(address) || allowHosts.contains(literal(address))) {
            return Optional.empty();
        }
        return Optional.of(url + ": host " + bare(URI.create(url).getHost()) + " resolves to "
                + literal(address) + ", a " + kind(address) + " address, which is refused unless listed "
                + "explicitly in fetch.allowHosts; ask the operator to list " + literal(address)
                + " if the service is meant to read it");
    }

    /**
     * The full check: the text, then every address the host resolves to now. Blocks on DNS: call it
     * off event loops. An unknown host is refused.
     *
     * @return the addresses, all allowed, or the refusal
     */
    public Checked check(String url) {
        Optional<String> refusal = refusalOf(url);
        if (refusal.isPresent()) {
            return new Checked(List.of(), refusal);
        }
        String host = bare(URI.create(url).getHost());
        List<InetAddress> addresses;
        try {
            addresses = List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return new Checked(List.of(), Optional.of(url + ": unknown host " + host + "; check the URL"));
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refusalOf(url, address);
            if (refused.isPresent()) {
                return new Checked(List.of(), refused);
            }
        }
        return new Checked(addresses, Optional.empty());
    }

    /**
     * The outcome of {@link #check}.
     *
     * @param addresses the host's addresses, every one allowed (empty when refused)
     * @param refusal   why the URL is refused, or empty
     */
    public record Checked(List<InetAddress> addresses, Optional<String> refusal) {
        public Checked {
            addresses = List.copyOf(addresses);
            requireNonNull(refusal, "refusal");
        }
    }

    private boolean listed(String host) {
        for (String allowed : allowHosts) {
            if (allowed.equals(host) || allowed.startsWith("*.") && host.endsWith(allowed.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** The host without IPv6 brackets, lower case. */
    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static String literal(InetAddress address) {
        return address.getHostAddress().toLowerCase(Locale.ROOT);
    }

    private static boolean special(InetAddress address) {
        return !kind(address).isEmpty();
    }

    /** What kind of non-public address this is, or "" for a public one. */
    private static String kind(InetAddress address) {
        InetAddress a = unmapped(address);
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a instanceof Inet4Address && ((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 || (b[0] & 0xff) == 0)) {
            return "private";
        }
        if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return "private (unique local)";
        }
        return "";
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, else the address itself. */
    private static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            if (zeros) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    private static void positive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }
}
