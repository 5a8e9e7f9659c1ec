/** Implementation of the PostgreSQL store; not part of the API and may change in any release. */
package org.p2pchat.store.postgres.internal;
