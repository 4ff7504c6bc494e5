package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static io.funcpipe.adapters.source.Fixtures.oks;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

@DisplayName("the public-domain samples in samples/docs")
class SampleDocsTest {

    @Test
    @DisplayName("each of PDF, HTML, Word, RTF and e-mail gives its text, title and author; the PDF one document per page")
    void samples() {
        SourceSet source = Sources.open(List.of("samples/docs"), SourceOptions.defaults(), null);
        List<Result<RawDoc>> items = Fixtures.read(source.docs());
        assertThat(errs(items)).isEmpty();
        assertThat(source.counters().skippedFiles()).isZero();
        Map<String, RawDoc> docs = oks(items).stream().collect(Collectors.toMap(RawDoc::id, Function.identity()));
        assertThat(docs).containsOnlyKeys("bush-2002.rtf", "gettysburg.eml", "lincoln-1862.html", "roosevelt-1941.docx",
                "washington-1790.pdf#page=1", "washington-1790.pdf#page=2", "washington-1790.pdf#page=3");

        assertThat(docs.get("washington-1790.pdf#page=1").text()).startsWith("Fellow-Citizens of the Senate");
        assertThat(docs.get("washington-1790.pdf#page=3").metadata()).containsEntry("page", "3").containsEntry("pages", "3")
                .containsEntry("title", "First Annual Message to Congress").containsEntry("author", "George Washington");
        assertThat(docs.get("lincoln-1862.html").text()).startsWith("# Annual Message to Congress, December 1, 1862\n\n");
        assertThat(docs.get("lincoln-1862.html").metadata()).containsEntry("title", "Annual Message to Congress, 1862")
                .containsEntry("author", "Abraham Lincoln");
        assertThat(docs.get("roosevelt-1941.docx").text()).contains("freedom of speech and expression");
        assertThat(docs.get("roosevelt-1941.docx").metadata()).containsEntry("title", "The Four Freedoms")
                .containsEntry("author", "Franklin D. Roosevelt");
        assertThat(docs.get("bush-2002.rtf").metadata()).containsEntry("title", "State of the Union Address, 2002")
                .containsEntry("author", "George W. Bush").containsEntry("content_type", "application/rtf");
        assertThat(docs.get("gettysburg.eml").text()).contains("Four score and seven years ago", "shall not perish from the earth");
        assertThat(docs.get("gettysburg.eml").metadata())
                .containsEntry("title", "Address at the dedication of the Soldiers' National Cemetery, Gettysburg")
                .containsEntry("author", "Abraham Lincoln <president@example.org>")
                .containsEntry("created", "1863-11-19T20:00:00Z").containsEntry("content_type", "message/rfc822");
    }
}
