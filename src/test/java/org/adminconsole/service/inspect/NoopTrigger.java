package org.adminconsole.service.inspect;

import java.sql.Connection;

/** An H2 trigger that does nothing: lets tests create a trigger for the schema tree and the DDL. */
public class NoopTrigger implements org.h2.api.Trigger {

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
        // nothing
    }
}
