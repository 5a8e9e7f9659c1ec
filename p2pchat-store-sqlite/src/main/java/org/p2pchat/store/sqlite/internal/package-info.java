/** Implementation of the SQLite store; not part of the API and may change in any release. */
package org.p2pchat.store.sqlite.internal;
