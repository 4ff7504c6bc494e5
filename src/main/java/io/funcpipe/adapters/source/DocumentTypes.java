package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;

/**
 * Which files {@link Format#AUTO} reads, by content: Tika's default detector (magic bytes, zip and
 * OLE2 container contents, then the file name) names a media type; the document types below are
 * read with Tika ({@link Format#DOCUMENT}), {@code text/plain} as {@link Format#TEXT}; any other type
 * is not read. The list is the one docs/formats.md documents.
 */
final class DocumentTypes {

    /** The media types read with Tika (and their specialisations, such as {@code .docm} under Word). */
    static final List<MediaType> DOCUMENTS = List.of(
            MediaType.application("pdf"),
            MediaType.text("html"),
            MediaType.application("xhtml+xml"),
            MediaType.application("vnd.openxmlformats-officedocument.wordprocessingml.document"),
            MediaType.application("vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            MediaType.application("vnd.openxmlformats-officedocument.presentationml.presentation"),
            MediaType.application("x-tika-ooxml-protected"),
            MediaType.application("msword"),
            MediaType.application("vnd.ms-excel"),
            MediaType.application("vnd.ms-powerpoint"),
            MediaType.application("vnd.oasis.opendocument.text"),
            MediaType.application("vnd.oasis.opendocument.spreadsheet"),
            MediaType.application("vnd.oasis.opendocument.presentation"),
            MediaType.application("rtf"),
            MediaType.application("epub+zip"),
            MediaType.parse("message/rfc822"),
            MediaType.application("mbox"));

    private static final MediaType PLAIN_TEXT = MediaType.TEXT_PLAIN;

    private DocumentTypes() {
    }

    /** The media type of {@code file}'s content (without parameters); {@code application/octet-stream} when unknown. */
    static MediaType detect(Path file) throws IOException {
        requireNonNull(file, "file");
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.getFileName().toString());
        try (TikaInputStream in = TikaInputStream.get(file, metadata)) {
            return Holder.DETECTOR.detect(in, metadata).getBaseType();
        }
    }

    /** The format that reads {@code type}, or empty when none does. */
    static Optional<Format> formatOf(MediaType type) {
        MediaType base = Holder.REGISTRY.normalize(type.getBaseType());
        if (base.equals(PLAIN_TEXT)) {
            return Optional.of(Format.TEXT);
        }
        for (MediaType document : DOCUMENTS) {
            if (Holder.REGISTRY.isInstanceOf(base, document)) {
                return Optional.of(Format.DOCUMENT);
            }
        }
        return Optional.empty();
    }

    /** Tika's default configuration, loaded once, on first use (it scans the class path for parsers). */
    static final class Holder {
        static final TikaConfig CONFIG = TikaConfig.getDefaultConfig();
        static final Detector DETECTOR = CONFIG.getDetector();
        static final MediaTypeRegistry REGISTRY = CONFIG.getMediaTypeRegistry();

        private Holder() {
        }
    }
}
