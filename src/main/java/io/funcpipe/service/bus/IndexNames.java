package io.funcpipe.service.bus;

import java.util.Optional;
import java.util.regex.Pattern;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;

/**
 * The rule for index names: an index is a folder directly under the index stage's root, so its
 * name is a simple name: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or a
 * digit. That rules out path separators, {@code .} and {@code ..}, so a job can never write outside
 * the root.
 */
public final class IndexNames {

    private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private IndexNames() {
    }

    /** The error for {@code name}, or empty when it is a valid index name. */
    public static Optional<ErrInfo> check(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(ErrInfo.of(ErrCode.INVALID_INPUT, "no index name given: name the index to write, "
                    + "a simple folder name such as 'speeches' (letters, digits, '.', '_', '-')").withStage("index"));
        }
        if (!SIMPLE.matcher(name).matches()) {
            String why = name.contains("/") || name.contains("\\") ? "it contains a path separator"
                    : name.contains("..") ? "it contains '..'"
                    : name.length() > 128 ? "it is longer than 128 characters"
                    : "it holds other characters, or starts with neither a letter nor a digit";
            return Optional.of(ErrInfo.of(ErrCode.INVALID_INPUT, "the index name '" + name + "' is not a simple name ("
                    + why + "): an index is a folder directly under the index root, named with 1 to 128 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit, such as 'speeches'").withStage("index"));
        }
        return Optional.empty();
    }
}
