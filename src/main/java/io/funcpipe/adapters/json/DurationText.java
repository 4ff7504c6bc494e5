package io.funcpipe.adapters.json;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * How a {@link Duration} reads and writes in config: written as ISO-8601 ({@code "PT0.1S"}), read
 * from ISO-8601, from a number with a unit ({@code "250ms"}, {@code "2s"}, {@code "5m"},
 * {@code "1h"}, {@code "1d"}) or from a bare integer of milliseconds ({@code 250}). Jackson's core
 * has no {@code java.time} support without the JSR-310 module; this small module is all the
 * policies need.
 */
public final class DurationText {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("funcpipe-duration");
        module.addSerializer(Duration.class, new Writer());
        module.addDeserializer(Duration.class, new Reader());
        return module;
    }

    /**
     * Parses the text forms above; throws {@link IllegalArgumentException} naming the accepted forms.
     * Also used by the service's config loader, so a duration reads the same in a policy file and in
     * {@code conf/funcpipe.yaml}.
     */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = WITH_UNIT.matcher(trimmed.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration: use ISO-8601 such as \"PT0.5S\", "
                    + "a number with a unit (ms, s, m, h, d) such as \"500ms\", or a number of milliseconds");
        }
    }

    private static final class Writer extends StdSerializer<Duration> {
        Writer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class Reader extends StdDeserializer<Duration> {
        Reader() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofMillis(p.getLongValue());
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return parse(p.getText());
                } catch (IllegalArgumentException e) {
                    return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getText(), e.getMessage());
                }
            }
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
    }
}
