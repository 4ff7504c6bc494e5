package io.funcpipe.adapters.index;

import java.io.IOException;
import java.util.OptionalInt;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.store.Directory;

/** Reads the vector length an existing index was built with. */
final class IndexDimensions {

    private IndexDimensions() {
    }

    /** The committed index's vector length, or empty when there is no index or no vector yet. */
    static OptionalInt of(Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return OptionalInt.empty();
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            FieldInfo info = FieldInfos.getMergedFieldInfos(reader).fieldInfo(LuceneFields.VECTOR);
            return info == null || info.getVectorDimension() == 0
                    ? OptionalInt.empty() : OptionalInt.of(info.getVectorDimension());
        }
    }
}
