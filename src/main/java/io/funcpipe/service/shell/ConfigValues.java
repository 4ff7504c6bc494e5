package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.funcpipe.adapters.json.DurationText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The merged settings: one value per key with the place it came from, read through typed
 * accessors that check the value and throw a {@link ConfigException} of the form
 * {@code <key> must be <what is allowed>, got <value> (from <source>)}. Values from YAML arrive
 * typed (numbers, booleans, lists); values from the environment arrive as text and are parsed
 * here, so both sources obey the same rules.
 */
final class ConfigValues {

    /** One setting: its value (a scalar, a {@link JsonArray} or null) and where it came from. */
    record Setting(Object value, String source) {
        Setting {
            requireNonNull(source, "source");
        }
    }

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})\\s*(KiB|MiB|GiB)?");

    private final Map<String, Setting> settings;
    private final Set<String> read = new HashSet<>();

    ConfigValues(Map<String, Setting> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** A non-blank text value; a number or boolean written in YAML is taken as its text. */
    String text(String key) {
        String text = anyText(key);
        if (text.isBlank()) {
            throw invalid(key, "a non-empty text");
        }
        return text;
    }

    /** A text value that may be empty. */
    String anyText(String key) {
        Object value = value(key);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString().trim();
        }
        throw invalid(key, "a text");
    }

    /** A whole number in {@code min..max}. */
    int integer(String key, int min, int max) {
        Object value = value(key);
        BigInteger number = switch (value) {
            case Integer i -> BigInteger.valueOf(i);
            case Long l -> BigInteger.valueOf(l);
            case BigInteger b -> b;
            case String s when INTEGER.matcher(s.trim()).matches() -> new BigInteger(s.trim());
            case null, default -> null;
        };
        if (number == null || number.compareTo(BigInteger.valueOf(min)) < 0
                || number.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(key, max == Integer.MAX_VALUE ? "a whole number >= " + min : min + ".." + max);
        }
        return number.intValueExact();
    }

    /**
     * A size in bytes in {@code min..max}: a whole number, or one with a unit {@code KiB},
     * {@code MiB} or {@code GiB} ({@code 16MiB}).
     */
    long bytes(String key, long min, long max) {
        Object value = value(key);
        Long bytes = null;
        if (value instanceof Integer || value instanceof Long) {
            bytes = ((Number) value).longValue();
        } else if (value instanceof String text) {
            java.util.regex.Matcher m = SIZE.matcher(text.trim());
            if (m.matches()) {
                long unit = switch (m.group(2) == null ? "" : m.group(2)) {
                    case "KiB" -> 1L << 10;
                    case "MiB" -> 1L << 20;
                    case "GiB" -> 1L << 30;
                    default -> 1;
                };
                try {
                    bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                } catch (ArithmeticException | NumberFormatException e) {
                    bytes = null;
                }
            }
        }
        if (bytes == null || bytes < min || bytes > max) {
            throw invalid(key, "a size of " + min + ".." + max + " bytes, a whole number or with a unit such as 64KiB, "
                    + "16MiB or 1GiB");
        }
        return bytes;
    }

    /** A finite number of at least {@code min}. */
    double number(String key, double min) {
        Object value = value(key);
        Double number = null;
        if (value instanceof Number n) {
            number = n.doubleValue();
        } else if (value instanceof String text) {
            try {
                number = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                number = null;
            }
        }
        if (number == null || !Double.isFinite(number) || number < min) {
            throw invalid(key, "a number >= " + min);
        }
        return number;
    }

    /** {@code true} or {@code false} (in any letter case from the environment). */
    boolean flag(String key) {
        Object value = value(key);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        throw invalid(key, "true or false");
    }

    /**
     * A duration of at least {@code min}: a number with a unit ({@code 500ms}, {@code 30s},
     * {@code 2m}, {@code 1h}, {@code 1d}), ISO-8601 ({@code PT30S}), or a whole number of milliseconds.
     */
    Duration duration(String key, Duration min) {
        Duration duration = parseDuration(value(key));
        if (duration == null || duration.compareTo(min) < 0) {
            throw invalid(key, "a duration " + (min.isZero() ? ">= 0" : "> 0") + " such as 500ms, 30s or 2m");
        }
        return duration;
    }

    private static Duration parseDuration(Object value) {
        try {
            return switch (value) {
                case Integer i -> Duration.ofMillis(i);
                case Long l -> Duration.ofMillis(l);
                case String s when DIGITS.matcher(s.trim()).matches() -> Duration.ofMillis(Long.parseLong(s.trim()));
                case String s -> DurationText.parse(s);
                case null, default -> null;
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null; // not a duration, or out of range: the caller names the key and the forms allowed
        }
    }

    /**
     * A list of non-empty texts: a YAML list, or comma-separated text (as environment variables
     * give it; blanks around the commas are dropped, an empty text is an empty list).
     */
    List<String> list(String key) {
        Object value = value(key);
        List<String> items = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (Object item : array) {
                if (!(item instanceof String || item instanceof Number || item instanceof Boolean)
                        || item.toString().isBlank()) {
                    throw invalid(key, "a list of non-empty texts");
                }
                items.add(item.toString().trim());
            }
        } else if (value instanceof String s) {
            if (!s.isBlank()) {
                for (String item : s.split(",", -1)) {
                    if (item.isBlank()) {
                        throw invalid(key, "a comma-separated list of non-empty texts");
                    }
                    items.add(item.trim());
                }
            }
        } else {
            throw invalid(key, "a list");
        }
        return List.copyOf(items);
    }

    /** One of {@code choices}, written as its lower-case name. */
    <E extends Enum<E>> E choice(String key, E[] choices) {
        Object value = value(key);
        if (value instanceof String s) {
            for (E choice : choices) {
                if (choice.name().equalsIgnoreCase(s.trim())) {
                    return choice;
                }
            }
        }
        throw invalid(key, "one of " + labels(choices));
    }

    /** The exception for a value of {@code key} that breaks {@code rule} ("must be {@code rule}"). */
    ConfigException invalid(String key, String rule) {
        Setting setting = setting(key);
        String message = key + " must be " + rule + ", got " + show(setting.value()) + " (from " + setting.source() + ")";
        if (setting.source().startsWith(ConfigKeys.ENV_PREFIX) && setting.value() instanceof String s
                && s.startsWith("tcp://")) {
            message += "; this looks like a variable Kubernetes sets for a Service named like the key:"
                    + " set enableServiceLinks: false in the pod spec";
        }
        return new ConfigException(message);
    }

    /** The keys no accessor has read yet (so a test can check that every documented key is used). */
    Set<String> unread() {
        Set<String> unread = new HashSet<>(settings.keySet());
        unread.removeAll(read);
        return unread;
    }

    static <E extends Enum<E>> String labels(E[] choices) {
        return Arrays.stream(choices).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    private Object value(String key) {
        return setting(key).value();
    }

    private Setting setting(String key) {
        Setting setting = settings.get(key);
        if (setting == null) {
            // Every key read here is in the built-in defaults; a miss is a bug in this package.
            throw new IllegalStateException("no setting '" + key + "' in the built-in defaults");
        }
        read.add(key);
        return setting;
    }

    /** A value as the operator wrote it: text as is (quoted when empty or padded), lists in brackets. */
    static String show(Object value) {
        return switch (value) {
            case null -> "nothing";
            case String s when s.isEmpty() || !s.equals(s.strip()) -> '"' + s + '"';
            case JsonArray array -> array.stream().map(ConfigValues::show).collect(Collectors.joining(", ", "[", "]"));
            case JsonObject object -> object.encode();
            case BigDecimal d -> d.toPlainString();
            default -> value.toString();
        };
    }
}
