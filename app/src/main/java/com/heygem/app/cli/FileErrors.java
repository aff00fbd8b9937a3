package com.heygem.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.heygem.engine.error.HeyGemException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** How commands that take many files report the one that failed, so the others still run. */
final class FileErrors {
    private FileErrors() {
    }

    /** Adds {@code {"path": …, "error": {code, message, messageZh, hint}}} to a JSON result array. */
    static void addJson(ArrayNode array, Path file, HeyGemException e) {
        ObjectNode node = array.addObject();
        node.put("path", file.toString());
        ObjectNode error = node.putObject("error");
        error.put("code", e.code().name());
        error.put("message", e.messageEn());
        error.put("messageZh", e.messageZh());
        error.put("hint", e.code().hintEn());
    }

    /** Prints what went wrong with {@code file} and what to do, in English and Chinese. */
    static void print(PrintWriter err, Path file, HeyGemException e) {
        print(err, file.toString(), e);
    }

    /** The same for an input named by an address. */
    static void print(PrintWriter err, String input, HeyGemException e) {
        err.println(input + ": error [" + e.code() + "]: " + e.messageEn());
        err.println("       " + e.code().hintEn());
        err.println("       " + e.messageZh() + "。" + e.code().hintZh());
    }
}
