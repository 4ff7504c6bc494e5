package io.funcpipe.service.bus.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.funcpipe.rag.DocumentRecord;

/** Reply to {@link ReadDocuments}: the records found (ids the index does not hold are left out). */
public record DocumentRecords(List<DocumentRecord> records) implements BusMessage {

    public DocumentRecords {
        records = List.copyOf(records);
    }

    /** The records by document id. */
    public Map<String, DocumentRecord> byId() {
        Map<String, DocumentRecord> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.id(), r));
        return out;
    }

    @Override
    public void writeTo(WireWriter out) {
        out.list(records, RagWire::documentRecord);
    }

    public static DocumentRecords read(WireReader in) {
        return new DocumentRecords(in.list(RagWire::documentRecord));
    }
}
