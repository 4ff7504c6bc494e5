package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A condition on a chunk's metadata for a query: the field equals a text ({@code president=Lincoln}),
 * or, for numbers, lies in a closed range ({@code year=1860..1865}, {@code year=1900..},
 * {@code year=..1850}). Several filters of one query must all hold.
 *
 * @param field  the metadata field (a CSV column or JSONL field kept as metadata)
 * @param equals the exact text, or null for a range
 * @param min    the range's lower bound (inclusive), or negative infinity
 * @param max    the range's upper bound (inclusive), or positive infinity
 */
public record MetadataFilter(String field, String equals, double min, double max) {

    public MetadataFilter {
        requireNonNull(field, "field");
        if (field.isBlank()) {
            throw new IllegalArgumentException("a filter needs a field name before '='");
        }
        if (equals == null && (Double.isNaN(min) || Double.isNaN(max) || min > max)) {
            throw new IllegalArgumentException("the range of '" + field + "' is empty: " + min + ".." + max);
        }
    }

    /** {@code field} equal to {@code value}. */
    public static MetadataFilter equalTo(String field, String value) {
        return new MetadataFilter(field, requireNonNull(value, "value"), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** {@code field} a number in {@code [min, max]}. */
    public static MetadataFilter between(String field, double min, double max) {
        return new MetadataFilter(field, null, min, max);
    }

    /** Whether this is a numeric range (else an exact text). */
    public boolean isRange() {
        return equals == null;
    }

    /**
     * Parses {@code field=value} or {@code field=LOW..HIGH} (either bound may be left out; bounds
     * are numbers, inclusive).
     *
     * @throws IllegalArgumentException naming what is wrong and the accepted forms
     */
    public static MetadataFilter parse(String text) {
        requireNonNull(text, "text");
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a filter: use field=value or, for numbers, "
                    + "field=LOW..HIGH (field=LOW.. or field=..HIGH for one bound)");
        }
        String field = text.substring(0, eq).strip();
        String value = text.substring(eq + 1).strip();
        int dots = value.indexOf("..");
        if (dots < 0) {
            return equalTo(field, value);
        }
        double min = bound(text, value.substring(0, dots), Double.NEGATIVE_INFINITY);
        double max = bound(text, value.substring(dots + 2), Double.POSITIVE_INFINITY);
        if (min > max) {
            throw new IllegalArgumentException("'" + text + "': the low bound is above the high bound");
        }
        return between(field, min, max);
    }

    private static double bound(String text, String bound, double open) {
        String b = bound.strip();
        if (b.isEmpty()) {
            return open;
        }
        try {
            double v = Double.parseDouble(b);
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': '" + b + "' is not a number; a range takes numbers, "
                    + "such as year=1860..1865");
        }
    }

    @Override
    public String toString() {
        if (!isRange()) {
            return field + "=" + equals;
        }
        return field + "=" + (min == Double.NEGATIVE_INFINITY ? "" : number(min)) + ".."
                + (max == Double.POSITIVE_INFINITY ? "" : number(max));
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
