package com.heygem.engine.media;

/** How a template shorter than the speech is extended. */
public enum LoopMode {
    /** Forward, then backward, then forward…: no jump cut where the template restarts. */
    PING_PONG,
    /** Forward again from the first frame. */
    LOOP
}
