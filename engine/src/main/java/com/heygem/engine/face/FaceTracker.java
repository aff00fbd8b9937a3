package com.heygem.engine.face;

import com.heygem.engine.image.GrayImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the primary face through a video, frame by frame.
 *
 * <p>A Haar search finds the face; from then on each frame's box comes from the previous
 * frame's landmarks, shaped the way dlib's detector draws boxes, so the predictor always sees
 * the kind of box it was trained on. A cheap Haar check around the face every
 * {@link #VERIFY_INTERVAL} frames, or at once when the fit looks wrong, confirms the face is
 * still there; after {@link #MISSES_TO_LOSE} failed checks the frames since the last good check
 * are withdrawn and the whole frame is searched again. A whole-frame search every
 * {@link #SCAN_INTERVAL} frames counts the faces in view.
 *
 * <p>With several faces, the primary one is the largest and most central when first found; it
 * is kept while it can be followed, and after a loss the face nearest its last place wins.
 *
 * <p>One tracker per video and thread; nothing is allocated per frame except on Haar searches.
 */
public final class FaceTracker implements AutoCloseable {
    static final int VERIFY_INTERVAL = 8;
    static final int MISSES_TO_LOSE = 4;
    static final int SCAN_INTERVAL = 60;
    /**
     * Looks that must find a newly taken-up face again before it counts: stray patterns in
     * moving backgrounds (the noise of a test card, a fractal) pass one look now and then, rarely two.
     */
    static final int PROBATION_HITS = 2;
    /** While no face is followed, search every this many frames (a full search costs 30-80 ms). */
    static final int LOST_SCAN_INTERVAL = 3;
    // Haar merges overlapping raw hits; on the shared templates real faces gather 6-75 of them,
    // stray patterns on clothes and backgrounds 3-6.
    static final int MIN_VOTES_TO_COUNT = 8;
    /** Rigid-point residual (canonical units) above which a fit is checked at once. */
    static final double SUSPICIOUS_RESIDUAL = 10.0;

    private final ShapePredictor predictor;
    private final CanonicalFace canonical;
    private final FaceDetector detector = new FaceDetector();
    private final ShapePredictor.Scratch scratch;
    private final double minFaceSide;
    private final float[] points = new float[Landmarks.VALUES];
    private final float[] transform = new float[4];
    private final List<Detection> found = new ArrayList<>();

    private FaceBox box;
    /** Where the face was when last lost: after a loss the nearest face is taken up again. */
    private FaceBox lastKnown;
    private int lastVerify = Integer.MIN_VALUE / 2;
    private int lastScan = Integer.MIN_VALUE / 2;
    private int misses;
    /** Whether a second Haar look has found the face since it was taken up. */
    private boolean confirmed;
    private int probationHits;
    private int firstUnconfirmed = -1;
    private int maxFaces;
    private int lostEvents;
    private boolean recheck;
    private double lastResidual;

    /**
     * @param minFaceSide smallest face side to look for, in pixels
     */
    public FaceTracker(ShapePredictor predictor, double minFaceSide) {
        this.predictor = predictor;
        this.canonical = new CanonicalFace(predictor);
        this.scratch = predictor.newScratch();
        this.minFaceSide = minFaceSide;
    }

    /**
     * A shot cut lies before the next frame: the face is looked for afresh there (the one nearest
     * to where it was), never carried over from the last shot's position.
     */
    public void cut() {
        if (box != null) {
            lastKnown = box;
        }
        box = null;
        misses = 0;
        lastScan = Integer.MIN_VALUE / 2;
    }

    /**
     * The next frame may start another shot: search the whole frame and start the fit from the
     * face found nearest to the current one, instead of from where the face was a frame ago (a
     * fit started there clings to the old place for several frames, drifting, until a check
     * fails). When the search finds nothing the track goes on as it was.
     */
    public void recheck() {
        recheck = box != null;
    }

    /** Tracks the face in the next frame and appends the result to {@code track}. */
    public void next(GrayImage frame, FaceTrack track) {
        int index = track.frames();
        if (box == null) {
            if (index - lastScan < LOST_SCAN_INTERVAL || !acquire(frame, index)) {
                track.add(false, points);
                return;
            }
        }
        if (recheck) {
            recheck = false;
            found.clear();
            detector.detect(frame, minFaceSide, found);
            if (!found.isEmpty()) {
                box = nearest(found, box).box();
            }
        }
        fit(frame, box);
        boolean suspicious = lastResidual > SUSPICIOUS_RESIDUAL || !insideFrame(frame);
        if (!confirmed || suspicious || index - lastVerify >= VERIFY_INTERVAL) {
            lastVerify = index;
            if (confirm(frame)) {
                misses = 0;
                if (confirmed || ++probationHits >= PROBATION_HITS) {
                    confirmed = true;
                    firstUnconfirmed = -1;
                }
            } else {
                if (firstUnconfirmed < 0) {
                    firstUnconfirmed = index;
                }
                misses++;
                if (misses >= MISSES_TO_LOSE || (suspicious && lastResidual > 2 * SUSPICIOUS_RESIDUAL)) {
                    track.retract(firstUnconfirmed, index);
                    lose();
                    if (!acquire(frame, index)) {
                        track.add(false, points);
                        return;
                    }
                    fit(frame, box);
                }
            }
        }
        if (index - lastScan >= SCAN_INTERVAL) {
            scan(frame, index);
        }
        box = Landmarks.box(points);
        track.add(true, points);
    }

    /**
     * Ends the video: a face that was found but never confirmed by a second look is withdrawn,
     * so a stray pattern near the end does not count as a face.
     */
    public void finish(FaceTrack track) {
        if (box != null && !confirmed) {
            track.retract(firstUnconfirmed, track.frames());
        }
    }

    /** Most faces seen at once in any whole-frame search. */
    public int maxFaces() {
        return maxFaces;
    }

    /** How many times the face was lost after having been found. */
    public int lostEvents() {
        return lostEvents;
    }

    /** Residual of the last fit: how far its rigid points are from a face shape (canonical units). */
    public double lastResidual() {
        return lastResidual;
    }

    /** Fits landmarks in {@code start}, then once more in the box those landmarks imply. */
    private void fit(GrayImage frame, FaceBox start) {
        predictor.predict(frame, start, scratch, points);
        FaceBox implied = Landmarks.box(points);
        double shift = Math.hypot(implied.centerX() - start.centerX(), implied.centerY() - start.centerY());
        if (shift > 0.04 * start.width() || Math.abs(implied.width() / start.width() - 1) > 0.06) {
            predictor.predict(frame, implied, scratch, points);
        }
        lastResidual = canonical.align(points, transform, 0);
    }

    private boolean insideFrame(GrayImage frame) {
        FaceBox b = Landmarks.box(points);
        double cx = b.centerX();
        double cy = b.centerY();
        return cx >= 0 && cy >= 0 && cx < frame.width && cy < frame.height && b.width() >= minFaceSide * 0.5;
    }

    /** A Haar search around the current fit; true when it finds the same face. */
    private boolean confirm(GrayImage frame) {
        FaceBox b = Landmarks.box(points);
        double margin = 0.75 * b.width();
        for (boolean tilted : new boolean[] {false, true}) {
            // Upright first; a leaning head is looked for tilted only when upright finds nothing.
            found.clear();
            detector.detect(frame, (int) Math.floor(b.left() - margin), (int) Math.floor(b.top() - margin),
                    (int) Math.ceil(b.width() + 2 * margin), (int) Math.ceil(b.height() + 2 * margin),
                    Math.max(minFaceSide, 0.5 * b.width()), tilted, found);
            for (Detection f : found) {
                if (f.box().iou(b) > 0.3) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Searches the whole frame for faces; starts following the primary one. */
    private boolean acquire(GrayImage frame, int index) {
        FaceBox previous = lastKnown;
        lastScan = index;
        found.clear();
        // Tilted too: taking up a face is rare and decides everything after it.
        detector.detect(frame, minFaceSide, true, found);
        if (found.isEmpty()) {
            return false;
        }
        Detection chosen = previous != null ? nearest(found, previous) : primary(found, frame.width, frame.height);
        box = chosen.box();
        maxFaces = Math.max(maxFaces, countFaces(found, chosen.votes()));
        // Taken up on probation: a stray pattern fails the next looks and its frames are withdrawn.
        confirmed = false;
        probationHits = 0;
        lastVerify = index;
        misses = 0;
        firstUnconfirmed = index;
        return true;
    }

    private void scan(GrayImage frame, int index) {
        lastScan = index;
        found.clear();
        // Other faces of interest are of comparable size; small ones are background.
        double min = box == null ? minFaceSide : Math.max(minFaceSide, 0.4 * box.width());
        detector.detect(frame, min, found);
        int primaryVotes = 0;
        for (Detection d : found) {
            if (box != null && d.box().iou(box) > 0.3) {
                primaryVotes = Math.max(primaryVotes, d.votes());
            }
        }
        maxFaces = Math.max(maxFaces, countFaces(found, primaryVotes));
    }

    /**
     * Faces in a search: the followed one always counts; others only with at least half its
     * Haar votes (and {@link #MIN_VOTES_TO_COUNT}), so stray patterns are not counted as people.
     */
    private int countFaces(List<Detection> found, int primaryVotes) {
        int others = 0;
        boolean primarySeen = box != null;
        for (Detection d : found) {
            if (box != null && (d.box().iou(box) > 0.3 || contains(box, d.box().centerX(), d.box().centerY()))) {
                continue; // the followed face, or a part of it the cascade also liked
            }
            if (d.votes() >= Math.max(MIN_VOTES_TO_COUNT, primaryVotes / 2)) {
                others++;
            }
        }
        return (primarySeen ? 1 : 0) + others;
    }

    private static boolean contains(FaceBox b, double x, double y) {
        return x >= b.left() && x <= b.right() && y >= b.top() && y <= b.bottom();
    }

    private void lose() {
        lostEvents++;
        lastKnown = box;
        box = null;
        misses = 0;
        firstUnconfirmed = -1;
    }

    /** The largest, most central face: area weighted down by distance from the frame's centre. */
    static Detection primary(List<Detection> faces, int width, int height) {
        Detection best = null;
        double bestScore = -1;
        double halfDiagonal = Math.hypot(width, height) / 2;
        for (Detection d : faces) {
            FaceBox f = d.box();
            double off = Math.hypot(f.centerX() - width / 2.0, f.centerY() - height / 2.0) / halfDiagonal;
            // Weak detections are more often stray patterns than faces.
            double score = f.area() * (1 - 0.5 * off) * Math.min(1.0, d.votes() / 10.0);
            if (score > bestScore) {
                bestScore = score;
                best = d;
            }
        }
        return best;
    }

    private static Detection nearest(List<Detection> faces, FaceBox to) {
        Detection best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Detection candidate : faces) {
            FaceBox f = candidate.box();
            double distance = Math.hypot(f.centerX() - to.centerX(), f.centerY() - to.centerY());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best;
    }

    @Override
    public void close() {
        detector.close();
    }
}
