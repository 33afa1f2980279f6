// PLACEHOLDER page: replace this file, index.html and style.css with the real page.
import '../../lib/base.css';
