package com.heygem.engine.image;

/** A frame buffer in one flat array that the video pipeline can fill, copy and reuse. */
public sealed interface Picture permits BgrImage, YuvImage {
    int width();

    int height();

    /** Sets the size, reusing the array when it is large enough; contents are undefined afterwards. */
    Picture reshape(int width, int height);

    /** Copies size and pixels from a picture of the same kind. */
    void copyFrom(Picture src);
}
