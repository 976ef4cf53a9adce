package io.llmgateway.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation, as AWS WAF IP sets take it: the network address
 * (no host bits set) and a prefix length of at least 1 (AWS WAF Developer Guide, "IP set
 * match rule statement": "AWS WAF supports all IPv4 and IPv6 CIDR ranges except for /0"). Parsed here, without
 * {@code InetAddress}, so no text can ever cause a DNS lookup.
 *
 * @param address the network address, 4 or 16 bytes
 * @param prefix  1-32 (IPv4) or 1-128 (IPv6)
 */
public record Cidr(byte[] address, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern SHAPE = Pattern.compile("([^/]+)/(\\d{1,3})");

    public Cidr {
        Objects.requireNonNull(address, "address");
        address = address.clone();
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes");
        }
        if (prefix < 1 || prefix > address.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + prefix);
        }
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    public boolean ipv6() {
        return address.length == 16;
    }

    /** Why a text is not a CIDR range: a message for the config's report. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @throws Invalid with what is wrong and, when the fix is clear, the range meant
     */
    static Cidr parse(String text) throws Invalid {
        Matcher shape = SHAPE.matcher(text.strip());
        if (!shape.matches()) {
            throw new Invalid("is not a CIDR range: write an address and a prefix length, such as 203.0.113.0/24 "
                    + "or 2001:db8::/32 (a single address is /32 or /128)");
        }
        byte[] address = parseAddress(shape.group(1));
        int prefix = Integer.parseInt(shape.group(2));
        int max = address.length * 8;
        if (prefix == 0) {
            throw new Invalid("/0 is every address, which AWS WAF does not accept in an IP set; to let every "
                    + "address through, leave the list out");
        }
        if (prefix > max) {
            throw new Invalid("has a prefix length above " + max + ", the most an IPv" + (max == 32 ? "4" : "6")
                    + " range can have");
        }
        Cidr network = new Cidr(mask(address, prefix), prefix);
        if (!Arrays.equals(network.address, address)) {
            throw new Invalid("has host bits set; the range starts at " + network + ", write that");
        }
        return network;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static byte[] parseAddress(String text) throws Invalid {
        if (text.contains(":")) {
            return parseIpv6(text);
        }
        Matcher v4 = IPV4.matcher(text);
        if (!v4.matches()) {
            throw new Invalid("does not start with an IPv4 or IPv6 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = v4.group(i + 1);
            int value = Integer.parseInt(part);
            if (value > 255 || (part.length() > 1 && part.startsWith("0"))) {
                throw new Invalid("has an IPv4 address with a part that is not 0-255 written without leading zeros");
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** RFC 4291 section 2.2 text forms: eight groups, one "::" at most, an IPv4 tail allowed. */
    private static byte[] parseIpv6(String text) throws Invalid {
        Invalid invalid = new Invalid("has an IPv6 address that is not valid (RFC 4291, section 2.2)");
        String[] halves = text.split("::", -1);
        if (halves.length > 2 || (halves.length == 2 && halves[0].contains("."))) {
            throw invalid;
        }
        int[] head = groups(halves[0], invalid);
        int[] tail = halves.length == 2 ? groups(halves[1], invalid) : new int[0];
        int total = head.length + tail.length;
        if ((halves.length == 1 && total != 16) || (halves.length == 2 && total > 14)) {
            throw invalid;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            bytes[i] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            bytes[16 - tail.length + i] = (byte) tail[i];
        }
        return bytes;
    }

    /** The bytes of colon-separated hex groups, the last of which may be a dotted IPv4 address. */
    private static int[] groups(String text, Invalid invalid) throws Invalid {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int[] bytes = new int[parts.length * 2 + 2];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.contains(".")) {
                Matcher v4 = IPV4.matcher(part);
                if (!v4.matches()) {
                    throw invalid;
                }
                for (int j = 1; j <= 4; j++) {
                    int value = Integer.parseInt(v4.group(j));
                    if (value > 255) {
                        throw invalid;
                    }
                    bytes[n++] = value;
                }
                continue;
            }
            if (!part.matches("[0-9A-Fa-f]{1,4}")) {
                throw invalid;
            }
            int value = Integer.parseInt(part, 16);
            bytes[n++] = value >>> 8;
            bytes[n++] = value & 0xff;
        }
        return Arrays.copyOf(bytes, n);
    }

    /** {@code 203.0.113.0/24}, or IPv6 in RFC 5952's form ({@code 2001:db8::/32}). */
    @Override
    public String toString() {
        if (!ipv6()) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff) + "/" + prefix;
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        // RFC 5952, 4.2: the longest run of two or more zero groups (the first of equals) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString().toLowerCase(Locale.ROOT) + "/" + prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefix;
    }
}
