package com.heygem.engine.face;

/**
 * A face the Haar cascade found, in dlib's box convention, with the number of overlapping
 * raw hits that were merged into it: real faces gather dozens, stray patterns a handful.
 */
public record Detection(FaceBox box, int votes) {
}
