package kz.ehr.simulator.corruption;

/**
 * A provider's own patient numbers: a bijection of the person index (multiplication by a constant coprime with
 * 10^10 plus a per-provider offset), so ids are unique per provider, unrelated across providers and stable by seed.
 */
public final class LocalIds {
    private static final long MODULUS = 10_000_000_000L;
    private static final long MULTIPLIER = 2_654_435_761L;

    private final String prefix;
    private final long offset;

    public LocalIds(String providerId, long seed) {
        this.prefix = prefix(providerId);
        this.offset = Math.floorMod(providerId.hashCode() * 1_000_003L + seed * 7_919L, MODULUS);
    }

    public String of(long personIndex) {
        // person indexes stay far below 3·10^9, so the product fits in a long
        long n = Math.floorMod(personIndex * MULTIPLIER % MODULUS + offset, MODULUS);
        return prefix + String.format("%010d", n);
    }

    static String prefix(String providerId) {
        return switch (providerId) {
            case "damumed" -> "DM-";
            case "kmis" -> "KM";
            case "medelement" -> "ME";
            default -> providerId.substring(0, Math.min(2, providerId.length())).toUpperCase() + "-";
        };
    }
}
