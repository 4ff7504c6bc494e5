package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

/**
 * A file a folder walk did not read because no reader reads its type.
 *
 * @param path the file, as the walk found it (the input folder joined with the relative path)
 * @param type the media type its content and name were detected as, such as {@code image/png}
 */
public record SkippedFile(String path, String type) {

    public SkippedFile {
        requireNonNull(path, "path");
        requireNonNull(type, "type");
    }
}
