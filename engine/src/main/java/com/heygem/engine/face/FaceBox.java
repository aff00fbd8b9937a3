package com.heygem.engine.face;

/**
 * A face rectangle in dlib's convention: {@code left, top} is the first pixel inside and the
 * box spans {@code width x height} pixels, so the last pixel inside is
 * {@code (left + width - 1, top + height - 1)}. Coordinates may be fractional: the tracker
 * places boxes with sub-pixel precision.
 */
public record FaceBox(double left, double top, double width, double height) {

    public double right() {
        return left + width - 1;
    }

    public double bottom() {
        return top + height - 1;
    }

    public double centerX() {
        return left + (width - 1) * 0.5;
    }

    public double centerY() {
        return top + (height - 1) * 0.5;
    }

    public double area() {
        return width * height;
    }

    /** Intersection over union with {@code o}; 0 when they do not overlap. */
    public double iou(FaceBox o) {
        double ix = Math.min(left + width, o.left + o.width) - Math.max(left, o.left);
        double iy = Math.min(top + height, o.top + o.height) - Math.max(top, o.top);
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        return inter / (area() + o.area() - inter);
    }

    /** A square box of side {@code size} centred on (cx, cy). */
    public static FaceBox centered(double cx, double cy, double size) {
        return new FaceBox(cx - (size - 1) * 0.5, cy - (size - 1) * 0.5, size, size);
    }
}
