package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/**
 * Turns one JSONL line into a document: a JSON object whose text field holds the text, whose id
 * field (if any) the id, and whose other scalar fields become metadata. A blank line is no record;
 * any other line that is not such an object is an {@link ErrCode#MALFORMED_RECORD} naming file:line.
 */
final class JsonlRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Origin origin;
    private final FieldMapping fields;
    private final SourceCounters counters;

    JsonlRecords(Origin origin, FieldMapping fields, SourceCounters counters) {
        this.origin = requireNonNull(origin, "origin");
        this.fields = requireNonNull(fields, "fields");
        this.counters = requireNonNull(counters, "counters");
    }

    /** The document on {@code line}, an Err, or null for a blank line. */
    Result<RawDoc> parse(LineSplitter.Line line) {
        String location = origin.at(line.number());
        if (line.tooLong()) {
            return malformed(line, "line is longer than the limit of maxRecordBytes; split the record or raise the limit");
        }
        Decoded decoded = Decoded.utf8(line.bytes(), 0, line.bytes().length);
        counters.addReplaced(decoded.replaced());
        if (decoded.text().isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(decoded.text());
        } catch (JsonProcessingException e) {
            return malformed(line, "not valid JSON (" + e.getOriginalMessage() + "); each line must be one JSON object");
        }
        if (node == null || !node.isObject()) {
            return malformed(line, "expected a JSON object, found " + (node == null ? "nothing" : node.getNodeType()));
        }
        JsonNode text = node.get(fields.textField());
        if (text == null || text.isNull()) {
            return malformed(line, "no field '" + fields.textField() + "'; add it or choose the text field with the jsonl text-field option");
        }
        if (!text.isValueNode()) {
            return malformed(line, "field '" + fields.textField() + "' must be a string, found " + text.getNodeType());
        }
        JsonNode idNode = fields.idField().isEmpty() ? null : node.get(fields.idField());
        Map<String, String> metadata = metadata(node);
        String id = idNode != null && idNode.isValueNode() && !idNode.isNull() && !idNode.asText().isEmpty()
                ? idNode.asText() : origin.contentId(text.asText(), metadata);
        return Result.ok(new RawDoc(id, location, text.asText(), metadata, line.inputBytes(), decoded.replaced()));
    }

    private Map<String, String> metadata(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", origin.relative());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isValueNode() && !value.isNull() && fields.keepsAsMetadata(field.getKey())) {
                metadata.put(field.getKey(), value.asText());
            }
        }
        return metadata;
    }

    private Result<RawDoc> malformed(LineSplitter.Line line, String why) {
        String location = origin.at(line.number());
        return Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, location + ": " + why)
                .withStage("parse").withKey(origin.idAt(line.number())).withLocation(location));
    }
}
