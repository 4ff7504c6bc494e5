package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which CSV columns or JSONL fields make a document.
 *
 * @param idField        the id column; when the record has no such column (or it is empty) the id
 *                       is {@code file#<hash of the record's text and fields>} (never its line).
 *                       Default {@code id}.
 * @param textField      the text column; a record without it is a malformed record. Default {@code text}.
 * @param metadataFields the columns kept as metadata; empty means every other column (JSONL: every
 *                       other scalar field). Default empty.
 */
public record FieldMapping(String idField, String textField, List<String> metadataFields) {

    public FieldMapping {
        requireNonNull(idField, "idField");
        requireNonNull(textField, "textField");
        if (textField.isBlank()) {
            throw new IllegalArgumentException("textField must not be blank; name the column that holds the text");
        }
        metadataFields = metadataFields == null ? List.of() : List.copyOf(metadataFields);
    }

    /** {@code id}, {@code text}, every other column as metadata. */
    public static FieldMapping defaults() {
        return new FieldMapping("id", "text", List.of());
    }

    public FieldMapping withIdField(String idField) {
        return new FieldMapping(idField, textField, metadataFields);
    }

    public FieldMapping withTextField(String textField) {
        return new FieldMapping(idField, textField, metadataFields);
    }

    public FieldMapping withMetadataFields(List<String> metadataFields) {
        return new FieldMapping(idField, textField, metadataFields);
    }

    /** Whether a column other than id and text is kept as metadata. */
    boolean keepsAsMetadata(String field) {
        if (field.equals(idField) || field.equals(textField)) {
            return false;
        }
        return metadataFields.isEmpty() || metadataFields.contains(field);
    }
}
