package io.funcpipe.adapters.embed;

/** Scaling vectors to unit length, so that a dot product is their cosine similarity. */
final class UnitLength {

    private UnitLength() {
    }

    /** Scales {@code vector} to unit length in place (a zero vector stays zero) and returns it. */
    static float[] normalise(float[] vector) {
        double squares = 0;
        for (float v : vector) {
            squares += (double) v * v;
        }
        if (squares > 0) {
            float inverse = (float) (1.0 / Math.sqrt(squares));
            for (int i = 0; i < vector.length; i++) {
                vector[i] *= inverse;
            }
        }
        return vector;
    }
}
