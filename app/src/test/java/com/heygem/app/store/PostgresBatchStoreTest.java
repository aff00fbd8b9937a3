package com.heygem.app.store;

import com.heygem.app.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same migrations and storage rules on a real PostgreSQL server. */
class PostgresBatchStoreTest extends BatchStoreContract {
    private static PostgresServer server;
    private static Database db;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
        db = Database.server(server.url(), "heygem", "");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    Database database() {
        return db;
    }
}
