package com.heygem.engine.image;

import java.awt.image.BufferedImage;

/** Conversions to Java2D, for contact sheets and previews (never in a frame loop). */
public final class Images {
    private Images() {
    }

    public static BufferedImage toBufferedImage(BgrImage bgr) {
        BufferedImage img = new BufferedImage(bgr.width, bgr.height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[bgr.width];
        for (int y = 0; y < bgr.height; y++) {
            int at = y * bgr.stride;
            for (int x = 0; x < bgr.width; x++, at += 3) {
                row[x] = (bgr.data[at + 2] & 0xFF) << 16 | (bgr.data[at + 1] & 0xFF) << 8 | (bgr.data[at] & 0xFF);
            }
            img.setRGB(0, y, bgr.width, 1, row, 0, bgr.width);
        }
        return img;
    }
}
