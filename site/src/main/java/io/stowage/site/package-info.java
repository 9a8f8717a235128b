/**
 * Builds the documentation site's Markdown from the repository: the pages of {@code docs/} and
 * the site's own pages with their includes, code taken from compiled sources and links mapped
 * to the site, and the reference pages generated from the settings model and the installed
 * drivers.
 */
package io.stowage.site;
