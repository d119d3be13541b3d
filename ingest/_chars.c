/* The character loop of ingest.chars.page_chars, ingest.chars.build_lines, the Lines
 * ingest.extract makes of built lines, the row cover of ingest.columns.find_gutter, the
 * object pass of ingest.chars.page_objects and ingest.quality.language_score, compiled.
 *
 * read_chars() does exactly what ingest.chars._read_chars does in Python — the same
 * pdfium calls in the same order, the same arithmetic in double precision, the same
 * math.hypot — without the interpreter's cost per character. pdfium's functions are
 * passed in as addresses (pypdfium2 loads the library), so nothing here links against
 * pdfium or includes its headers; the few types it needs are declared below as in
 * fpdfview.h / fpdf_text.h. tests/ingest/test_chars.py checks both loops give the same
 * characters, the same lines and the same object verdicts; tests/ingest/test_columns.py
 * the same cover; tests/ingest/test_quality.py the same language scores.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h" /* T_OBJECT_EX */
#include <stddef.h>
#include <math.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } rect_f;      /* FS_RECTF */
typedef struct { float a, b, c, d, e, f; } matrix_f;            /* FS_MATRIX */

typedef unsigned int (*get_unicode_fn)(void *, int);
typedef int (*get_box_fn)(void *, int, rect_f *);
typedef void *(*get_object_fn)(void *, int);
typedef int (*is_generated_fn)(void *, int);
typedef double (*get_size_fn)(void *, int);
typedef int (*get_matrix_fn)(void *, int, matrix_f *);
typedef int (*get_fill_fn)(void *, int, unsigned int *, unsigned int *, unsigned int *, unsigned int *);

static int
not_printed(unsigned int code)
{
    return code == 0 || code == 10 || code == 13 || code == 0xFFFE || code == 0xFFFF || code >= 0x110000;
}

static PyObject *
new_tuple(PyTypeObject *type, PyObject **fields, int n)
{
    /* a named tuple of type (Char, RawLine), made as tuple.__new__(type, fields)
       makes it; takes the references to fields */
    PyObject *item = type->tp_alloc(type, n);
    if (item == NULL) {
        for (int k = 0; k < n; k++) Py_XDECREF(fields[k]);
        return NULL;
    }
    for (int k = 0; k < n; k++) PyTuple_SET_ITEM(item, k, fields[k]);
    return item;
}

static int
addresses(PyObject *functions, void **fn, Py_ssize_t n)
{
    /* the n pdfium function addresses of the tuple functions, none of them null */
    if (PyTuple_GET_SIZE(functions) != n) {
        PyErr_Format(PyExc_ValueError, "%zd pdfium function addresses expected", n);
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        fn[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(functions, k));
        if (fn[k] == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "null pdfium function");
            return -1;
        }
    }
    return 0;
}

/* Objects shared between the characters of one page: equal values need not be made,
 * nor freed, once per character. A page's characters repeat a few hundred ideographs,
 * and the top, bottom and size of one line's characters are mostly the same floats. */
#define SHARED_TEXTS 1024  /* slots of the text cache (a code point's low bits) */

typedef struct {
    struct { Py_UCS4 code; PyObject *text; } texts[SHARED_TEXTS];
    PyObject *last[5];  /* the x0, x1, top, bottom and size of the last character */
} shared_t;

static PyObject *
shared_text(shared_t *shared, Py_UCS4 ch)
{
    /* new reference to the one-character string ch, the same object for a repeat */
    size_t slot = ch % SHARED_TEXTS;
    if (shared->texts[slot].text != NULL && shared->texts[slot].code == ch)
        return Py_NewRef(shared->texts[slot].text);
    PyObject *text = PyUnicode_FromOrdinal((int)ch);
    if (text == NULL) return NULL;
    Py_XSETREF(shared->texts[slot].text, Py_NewRef(text));
    shared->texts[slot].code = ch;
    return text;
}

static PyObject *
shared_float(PyObject **last, double value)
{
    /* new reference to a float of value: *last when it holds the same bits */
    if (*last != NULL) {
        double held = PyFloat_AS_DOUBLE(*last);
        if (memcmp(&held, &value, sizeof value) == 0) return Py_NewRef(*last);
    }
    PyObject *number = PyFloat_FromDouble(value);
    if (number == NULL) return NULL;
    Py_XSETREF(*last, Py_NewRef(number));
    return number;
}

static void
release_shared(shared_t *shared)
{
    for (int k = 0; k < SHARED_TEXTS; k++) Py_XDECREF(shared->texts[k].text);
    for (int k = 0; k < 5; k++) Py_XDECREF(shared->last[k]);
    PyMem_Free(shared);
}

/* read_chars(handle, count, height, functions, char_type, hypot) -> list */
static PyObject *
read_chars(PyObject *self, PyObject *args)
{
    unsigned long long handle_value;
    int count;
    double height;
    PyObject *functions, *hypot;
    PyTypeObject *char_type;
    if (!PyArg_ParseTuple(args, "KidO!O!O", &handle_value, &count, &height, &PyTuple_Type, &functions,
                          &PyType_Type, &char_type, &hypot))
        return NULL;
    if (!PyType_IsSubtype(char_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "char_type must be a named tuple type");
        return NULL;
    }
    void *fn[7];
    if (addresses(functions, fn, 7) < 0) return NULL;
    get_unicode_fn get_unicode = (get_unicode_fn)fn[0];
    get_box_fn get_box = (get_box_fn)fn[1];
    get_object_fn get_object = (get_object_fn)fn[2];
    is_generated_fn is_generated = (is_generated_fn)fn[3];
    get_size_fn get_size = (get_size_fn)fn[4];
    get_matrix_fn get_matrix = (get_matrix_fn)fn[5];
    get_fill_fn get_fill = (get_fill_fn)fn[6];
    void *handle = (void *)(uintptr_t)handle_value;

    shared_t *shared = PyMem_Calloc(1, sizeof(shared_t));
    if (shared == NULL) return PyErr_NoMemory();
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        release_shared(shared);
        return NULL;
    }
    unsigned int pending_high = 0;
    int first = 1;
    void *last_object = NULL;
    double size = 0.0;
    int red = 0;
    int have_factor = 0;
    float last_c = 0.0f, last_d = 0.0f;
    double last_factor = 1.0;
    for (int i = 0; i < count; i++) {
        unsigned int code = get_unicode(handle, i);
        if (code >= 0xD800 && code < 0xE000) {
            if (code < 0xDC00) {  /* first half of a character beyond the BMP */
                pending_high = code;
                continue;
            }
            if (!pending_high) continue;  /* a lone second half: no character */
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00);
        }
        pending_high = 0;
        if (not_printed(code)) continue;
        Py_UCS4 ch = code == 0x30FB ? 0xB7 : (Py_UCS4)code;  /* 间隔号: see chars.py */
        if (Py_UNICODE_ISSPACE(ch) && is_generated(handle, i)) continue;
        rect_f rect;
        if (!get_box(handle, i, &rect)) continue;
        void *object = get_object(handle, i);
        if (first || object == NULL || object != last_object) {
            first = 0;
            last_object = object;
            size = get_size(handle, i);
            matrix_f matrix;
            if (get_matrix(handle, i, &matrix)) {
                /* math.hypot's own rounding, as in Python; text objects of a page
                   mostly share their matrix, so the last factor is reused */
                if (!have_factor || matrix.c != last_c || matrix.d != last_d) {
                    PyObject *scale = PyObject_CallFunction(hypot, "dd", (double)matrix.c, (double)matrix.d);
                    if (scale == NULL) goto error;
                    double factor = PyFloat_AsDouble(scale);
                    Py_DECREF(scale);
                    if (factor == -1.0 && PyErr_Occurred()) goto error;
                    have_factor = 1;
                    last_c = matrix.c;
                    last_d = matrix.d;
                    last_factor = factor;
                }
                size *= last_factor;
            }
            unsigned int r = 0, g = 0, b = 0, a = 0;
            red = get_fill(handle, i, &r, &g, &b, &a) && r > 153 && g < 90 && b < 90;
        }
        double bottom = height - (double)rect.bottom;
        PyObject *fields[7] = {
            shared_text(shared, ch),
            shared_float(&shared->last[0], (double)rect.left),
            shared_float(&shared->last[1], (double)rect.right),
            shared_float(&shared->last[2], bottom - size),
            shared_float(&shared->last[3], bottom),
            shared_float(&shared->last[4], size),
            PyBool_FromLong(red),
        };
        for (int k = 0; k < 7; k++) {
            if (fields[k] == NULL) {
                for (int j = 0; j < 7; j++) Py_XDECREF(fields[j]);
                goto error;
            }
        }
        PyObject *item = new_tuple(char_type, fields, 7);
        if (item == NULL) goto error;
        int failed = PyList_Append(out, item);
        Py_DECREF(item);
        if (failed) goto error;
    }
    release_shared(shared);
    return out;
error:
    release_shared(shared);
    Py_DECREF(out);
    return NULL;
}

/* --- build_lines --------------------------------------------------------------------
 *
 * build_lines() does exactly what ingest.chars.build_lines_python does: characters
 * sorted by top (stable), rows where the next top is more than y_tol below the previous
 * one, each row sorted by x0 (stable), fake-bold doubles dropped, a space for a printed
 * blank or a gap wider than x_tol, the box, the median size and the red majority. Only
 * comparisons and one mean are computed on the doubles, so the figures are the same;
 * x0, x1, top and bottom are the characters' own float objects, as in Python.
 * Characters that are not Char tuples of floats: NotImplemented (Python does it).
 */
typedef struct {
    PyObject *c;        /* the Char (borrowed from the input list) */
    PyObject *text;
    double x0, x1, top, bottom, size;
    int red, blank;
    Py_ssize_t order;   /* position in the input, then in the top order */
} item_t;

static int
key_then_order(double p, double q, Py_ssize_t p_order, Py_ssize_t q_order)
{
    /* ascending key, ties in their earlier order: what Python's stable sort gives */
    if (p < q) return -1;
    if (q < p) return 1;
    return (p_order > q_order) - (p_order < q_order);
}

static int
by_top(const void *a, const void *b)
{
    const item_t *p = a, *q = b;
    return key_then_order(p->top, q->top, p->order, q->order);
}

static int
by_x0(const void *a, const void *b)
{
    const item_t *p = a, *q = b;
    return key_then_order(p->x0, q->x0, p->order, q->order);
}

/* Whether items[0..n) are already in ascending order of the double at byte offset
 * `offset` of each (size `size`): a stable sort would leave them as they are, and
 * lines and rows mostly arrive from pdfium in reading order. A NaN is never in order. */
static int
in_order(const void *items, Py_ssize_t n, size_t size, size_t offset)
{
    const char *p = items;
    for (Py_ssize_t i = 1; i < n; i++, p += size) {
        double a = *(const double *)(p + offset), b = *(const double *)(p + size + offset);
        if (!(a <= b)) return 0;
    }
    return 1;
}

static int
by_value(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

static int
is_char(PyObject *c)
{
    /* a Char as read_chars makes it: (str, five floats, bool) */
    if (!PyTuple_Check(c) || PyTuple_GET_SIZE(c) != 7 || !PyUnicode_Check(PyTuple_GET_ITEM(c, 0)))
        return 0;
    for (int k = 1; k <= 5; k++)
        if (!PyFloat_CheckExact(PyTuple_GET_ITEM(c, k))) return 0;
    return PyBool_Check(PyTuple_GET_ITEM(c, 6));
}

static int
is_blank(PyObject *text)
{
    /* str.isspace(): not empty, every character a blank */
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) return 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

static PyObject *
make_line(PyTypeObject *line_type, PyObject *parts, item_t **kept, Py_ssize_t nkept,
          item_t *x1_of, item_t *top_of, item_t *bottom_of, int reds, double *sizes)
{
    PyObject *empty = NULL, *joined = NULL, *text = NULL, *chars = NULL, *size = NULL, *line = NULL;
    empty = PyUnicode_New(0, 0);
    if (empty == NULL) goto done;
    joined = PyUnicode_Join(empty, parts);
    if (joined == NULL) goto done;
    text = PyObject_CallMethod(joined, "strip", NULL);
    if (text == NULL) goto done;
    chars = PyList_New(nkept);
    if (chars == NULL) goto done;
    for (Py_ssize_t k = 0; k < nkept; k++) {
        sizes[k] = kept[k]->size;
        Py_INCREF(kept[k]->c);
        PyList_SET_ITEM(chars, k, kept[k]->c);
    }
    qsort(sizes, (size_t)nkept, sizeof(double), by_value);
    Py_ssize_t mid = nkept / 2;
    size = PyFloat_FromDouble(nkept % 2 ? sizes[mid] : (sizes[mid - 1] + sizes[mid]) / 2);
    if (size == NULL) goto done;
    {
        /* a RawLine named tuple, made as tuple.__new__(RawLine, fields) makes it */
        PyObject *fields[8] = {
            text, chars,
            PyTuple_GET_ITEM(kept[0]->c, 1), PyTuple_GET_ITEM(x1_of->c, 2),
            PyTuple_GET_ITEM(top_of->c, 3), PyTuple_GET_ITEM(bottom_of->c, 4),
            size, reds * 2 > nkept ? Py_True : Py_False,
        };
        for (int k = 0; k < 8; k++) Py_INCREF(fields[k]);
        line = new_tuple(line_type, fields, 8);
    }
done:
    Py_XDECREF(empty);
    Py_XDECREF(joined);
    Py_XDECREF(text);
    Py_XDECREF(chars);
    Py_XDECREF(size);
    return line;
}

/* build_lines(chars, line_type, dedupe_tol, x_tol, y_tol) -> list of line_type | NotImplemented */
static PyObject *
build_lines(PyObject *self, PyObject *args)
{
    PyObject *list;
    PyTypeObject *line_type;
    double dedupe, x_tol, y_tol;
    if (!PyArg_ParseTuple(args, "O!O!ddd", &PyList_Type, &list, &PyType_Type, &line_type, &dedupe, &x_tol, &y_tol))
        return NULL;
    if (!PyType_IsSubtype(line_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "line_type must be a named tuple type");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    item_t *items = PyMem_Malloc(sizeof(item_t) * (size_t)(n ? n : 1));
    item_t **kept = PyMem_Malloc(sizeof(item_t *) * (size_t)(n ? n : 1));
    double *sizes = PyMem_Malloc(sizeof(double) * (size_t)(n ? n : 1));
    PyObject *out = NULL, *space = NULL;
    if (items == NULL || kept == NULL || sizes == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(list, i);
        if (!is_char(c)) {
            out = Py_NewRef(Py_NotImplemented);
            goto done;
        }
        PyObject *red = PyTuple_GET_ITEM(c, 6);
        item_t *it = &items[i];
        it->c = c;
        it->text = PyTuple_GET_ITEM(c, 0);
        it->x0 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 1));
        it->x1 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 2));
        it->top = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 3));
        it->bottom = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 4));
        it->size = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 5));
        it->red = red == Py_True;
        it->blank = is_blank(it->text);
        it->order = i;
    }
    if (!in_order(items, n, sizeof(item_t), offsetof(item_t, top)))
        qsort(items, (size_t)n, sizeof(item_t), by_top);
    for (Py_ssize_t i = 0; i < n; i++) items[i].order = i;
    out = PyList_New(0);
    space = PyUnicode_FromString(" ");
    if (out == NULL || space == NULL) goto fail;
    Py_ssize_t start = 0;
    while (start < n) {
        /* one row: from start while each top is within y_tol of the one before */
        Py_ssize_t end = start + 1;
        while (end < n && !(items[end].top - items[end - 1].top > y_tol)) end++;
        if (!in_order(items + start, end - start, sizeof(item_t), offsetof(item_t, x0)))
            qsort(items + start, (size_t)(end - start), sizeof(item_t), by_x0);
        PyObject *parts = PyList_New(0);
        if (parts == NULL) goto fail;
        Py_ssize_t nkept = 0;
        int spaced = 0, reds = 0;
        item_t *last = NULL, *x1_of = NULL, *top_of = NULL, *bottom_of = NULL;
        for (Py_ssize_t i = start; i < end; i++) {
            item_t *c = &items[i];
            if (c->blank) {
                spaced = last != NULL;
                continue;
            }
            if (last != NULL) {
                if (c->x0 - last->x0 <= dedupe) {
                    int doubled = 0;
                    for (Py_ssize_t k = nkept > 3 ? nkept - 3 : 0; k < nkept && !doubled; k++) {
                        item_t *q = kept[k];
                        int same = PyUnicode_Compare(q->text, c->text);
                        if (same == -1 && PyErr_Occurred()) {
                            Py_DECREF(parts);
                            goto fail;
                        }
                        doubled = same == 0 && fabs(q->x0 - c->x0) <= dedupe && fabs(q->top - c->top) <= dedupe;
                    }
                    if (doubled) continue;
                }
                if ((spaced || c->x0 - last->x1 > x_tol) && PyList_Append(parts, space) < 0) {
                    Py_DECREF(parts);
                    goto fail;
                }
            }
            if (PyList_Append(parts, c->text) < 0) {
                Py_DECREF(parts);
                goto fail;
            }
            kept[nkept++] = c;
            last = c;
            spaced = 0;
            if (x1_of == NULL || c->x1 > x1_of->x1) x1_of = c;
            if (top_of == NULL || c->top < top_of->top) top_of = c;
            if (bottom_of == NULL || c->bottom > bottom_of->bottom) bottom_of = c;
            reds += c->red;
        }
        if (nkept) {
            PyObject *line = make_line(line_type, parts, kept, nkept, x1_of, top_of, bottom_of, reds, sizes);
            if (line == NULL || PyList_Append(out, line) < 0) {
                Py_XDECREF(line);
                Py_DECREF(parts);
                goto fail;
            }
            Py_DECREF(line);
        }
        Py_DECREF(parts);
        start = end;
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    Py_XDECREF(space);
    PyMem_Free(items);
    PyMem_Free(kept);
    PyMem_Free(sizes);
    return out;
}

/* -- ingest.columns: rows and their cover of the middle of the page ------------------ */

typedef struct { double x0, x1, top; } box_t;
typedef struct { long long a, b; } span_t;

static int
box_by_top(const void *a, const void *b)
{
    double p = ((const box_t *)a)->top, q = ((const box_t *)b)->top;
    return (p > q) - (p < q);
}

static int
span_order(const void *a, const void *b)
{
    const span_t *p = a, *q = b;
    if (p->a != q->a) return (p->a > q->a) - (p->a < q->a);
    return (p->b > q->b) - (p->b < q->b);
}

/* Coordinates past this are not a page's: left to Python (no overflow in the casts, no
 * huge cover array). */
#define FAR 1e6

/* gutter_cover(chars, tolerance, lo_share, hi_share, min_chars, min_rows)
 *   -> (rows, left, right, lo, cover) | None | NotImplemented
 * What ingest.columns._cover_python returns; NotImplemented when a character is not a
 * Char (is_char) or lies implausibly far out. */
static PyObject *
gutter_cover(PyObject *self, PyObject *args)
{
    PyObject *list;
    double tolerance, lo_share, hi_share;
    Py_ssize_t min_chars, min_rows;
    if (!PyArg_ParseTuple(args, "O!dddnn", &PyList_Type, &list, &tolerance, &lo_share, &hi_share,
                          &min_chars, &min_rows))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(list), count = 0;
    box_t *boxes = PyMem_Malloc(sizeof(box_t) * (size_t)(n ? n : 1));
    span_t *spans = PyMem_Malloc(sizeof(span_t) * (size_t)(n ? n : 1));
    long long *diff = NULL;
    PyObject *out = NULL;
    if (boxes == NULL || spans == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyList_GET_ITEM(list, i);
        if (!is_char(c)) {
            out = Py_NewRef(Py_NotImplemented);
            goto done;
        }
        PyObject *text = PyTuple_GET_ITEM(c, 0);
        if (PyUnicode_GET_LENGTH(text) == 0 || is_blank(text)) continue;
        box_t *b = &boxes[count++];
        b->x0 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 1));
        b->x1 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 2));
        b->top = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 3));
        if (!(fabs(b->x0) < FAR && fabs(b->x1) < FAR && fabs(b->top) < FAR)) {
            out = Py_NewRef(Py_NotImplemented);
            goto done;
        }
    }
    if (count == 0 || count < min_chars) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    if (!in_order(boxes, count, sizeof(box_t), offsetof(box_t, top)))
        qsort(boxes, (size_t)count, sizeof(box_t), box_by_top);
    Py_ssize_t rows = 0;
    double first_top = 0, left = boxes[0].x0, right = boxes[0].x1;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (rows == 0 || boxes[i].top - first_top > tolerance) {
            rows++;
            first_top = boxes[i].top;
        }
        if (boxes[i].x0 < left) left = boxes[i].x0;
        if (boxes[i].x1 > right) right = boxes[i].x1;
    }
    if (rows < min_rows) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    double span = right - left;
    long long lo = (long long)(left + span * lo_share), hi = (long long)(left + span * hi_share) + 1;
    diff = PyMem_Calloc((size_t)(hi - lo + 1), sizeof(long long));
    if (diff == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t start = 0;
    while (start < count) {
        Py_ssize_t end = start + 1;
        while (end < count && !(boxes[end].top - boxes[start].top > tolerance)) end++;
        Py_ssize_t m = 0;
        for (Py_ssize_t i = start; i < end; i++) {
            long long a = (long long)(boxes[i].x0 - 0.5), b = (long long)(boxes[i].x1 + 0.5) + 1;
            if (a < hi && b > lo && a < b) {
                spans[m].a = a > lo ? a : lo;
                spans[m].b = b < hi ? b : hi;
                m++;
            }
        }
        qsort(spans, (size_t)m, sizeof(span_t), span_order);
        for (Py_ssize_t k = 0; k < m;) {
            long long a = spans[k].a, b = spans[k].b;
            for (k++; k < m && spans[k].a <= b; k++)
                if (spans[k].b > b) b = spans[k].b;
            diff[a - lo] += 1;
            diff[b - lo] -= 1;
        }
        start = end;
    }
    PyObject *cover = PyList_New((Py_ssize_t)(hi - lo));
    if (cover == NULL) goto done;
    long long level = 0;
    for (long long x = 0; x < hi - lo; x++) {
        level += diff[x];
        PyObject *v = PyLong_FromLongLong(level);
        if (v == NULL) {
            Py_DECREF(cover);
            goto done;
        }
        PyList_SET_ITEM(cover, (Py_ssize_t)x, v);
    }
    out = Py_BuildValue("nddLN", rows, left, right, lo, cover);
done:
    PyMem_Free(boxes);
    PyMem_Free(spans);
    PyMem_Free(diff);
    return out;
}

/* --- page_objects --------------------------------------------------------------------
 *
 * page_objects() does exactly what ingest.chars.page_objects_python does: one pass over
 * a pdfium page's objects counting images and judging whether its paths could be a
 * ruled table — the same pdfium calls, the bounds compared in double precision.
 */
typedef int (*count_objects_fn)(void *);
typedef void *(*get_page_object_fn)(void *, int);
typedef int (*object_type_fn)(void *);
typedef int (*object_bounds_fn)(void *, float *, float *, float *, float *);

/* page_objects(handle, functions, image_kind, path_kind, form_kind) -> (images, ruled) */
static PyObject *
page_objects(PyObject *self, PyObject *args)
{
    unsigned long long handle_value;
    PyObject *functions;
    int image_kind, path_kind, form_kind;
    if (!PyArg_ParseTuple(args, "KO!iii", &handle_value, &PyTuple_Type, &functions, &image_kind,
                          &path_kind, &form_kind))
        return NULL;
    void *fn[4];
    if (addresses(functions, fn, 4) < 0) return NULL;
    count_objects_fn count_objects = (count_objects_fn)fn[0];
    get_page_object_fn get_object = (get_page_object_fn)fn[1];
    object_type_fn object_type = (object_type_fn)fn[2];
    object_bounds_fn object_bounds = (object_bounds_fn)fn[3];
    void *handle = (void *)(uintptr_t)handle_value;

    long images = 0, verticals = 0;
    int boxed = 0;
    int n = count_objects(handle);
    for (int i = 0; i < n; i++) {
        void *obj = get_object(handle, i);
        int kind = object_type(obj);
        if (kind == image_kind) {
            images++;
        } else if (kind == path_kind && !boxed) {
            float left, bottom, right, top;
            if (!object_bounds(obj, &left, &bottom, &right, &top)) continue;
            double w = (double)right - (double)left, h = (double)top - (double)bottom;
            if (w >= 10 && h >= 10)
                boxed = 1;
            else if (h >= 8 && w <= 3)
                verticals++;
        } else if (kind == form_kind) {
            boxed = 1;  /* nested content: let pdfplumber decide */
        }
    }
    return Py_BuildValue("lO", images, boxed || verticals >= 2 ? Py_True : Py_False);
}

/* --- language_score ------------------------------------------------------------------
 *
 * language_score() does exactly what ingest.quality.language_score_python does: the
 * runs of ideographs (U+3400–U+4DBF, U+4E00–U+9FFF), None under min_han of them, the
 * first runs up to sample_han, a block of three or more equal characters cut out (the
 * regular expression (.)\1{2,}), and the share of ideographs that form a known pair
 * with a neighbour. The known pairs come as a buffer of sorted 64-bit keys
 * (first << 32 | second) and an index of 32-bit offsets into it by first character,
 * from U+3400 to U+A000 (where the keys of a first character start): a lookup bisects
 * only the few keys of its first character, instead of all of them (a cache miss at
 * nearly every step).
 */
#define HAN_FIRST 0x3400
#define HAN_LAST 0x9FFF

static int
is_han(Py_UCS4 c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
}

static int
known_pair(const unsigned long long *keys, Py_ssize_t n, const unsigned int *index, Py_UCS4 a, Py_UCS4 b)
{
    /* a is an ideograph (is_han), so it lies inside the index; offsets are clamped to
     * the keys, so a wrong index gives wrong answers, never a read outside them */
    unsigned long long key = ((unsigned long long)a << 32) | b;
    Py_ssize_t hi = index[a - HAN_FIRST + 1] < (unsigned long long)n ? (Py_ssize_t)index[a - HAN_FIRST + 1] : n;
    Py_ssize_t lo = index[a - HAN_FIRST] < (unsigned long long)hi ? (Py_ssize_t)index[a - HAN_FIRST] : hi, end = hi;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && keys[lo] == key;
}

/* language_score(text, pairs, index, min_han, sample_han) -> float | None */
static PyObject *
language_score(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer pairs, offsets;
    Py_ssize_t min_han, sample_han;
    if (!PyArg_ParseTuple(args, "Uy*y*nn", &text, &pairs, &offsets, &min_han, &sample_han)) return NULL;
    const unsigned long long *keys = pairs.buf;
    const unsigned int *index = offsets.buf;
    Py_ssize_t nkeys = pairs.len / (Py_ssize_t)sizeof(unsigned long long);
    if (offsets.len != (Py_ssize_t)sizeof(unsigned int) * (HAN_LAST - HAN_FIRST + 2)) {
        PyBuffer_Release(&pairs);
        PyBuffer_Release(&offsets);
        PyErr_SetString(PyExc_ValueError, "an index of one offset per ideograph expected");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), total = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (is_han(PyUnicode_READ(kind, data, i))) total++;
    if (total < min_han) {
        PyBuffer_Release(&pairs);
        PyBuffer_Release(&offsets);
        Py_RETURN_NONE;
    }
    /* the runs measured: all of them, or the first ones reaching sample_han */
    Py_ssize_t sampled = 0, paired = 0, i = 0;
    while (i < n) {
        if (total > sample_han && sampled >= sample_han) break;
        if (!is_han(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t end = i;
        while (end < n && is_han(PyUnicode_READ(kind, data, end))) end++;
        sampled += end - i;
        /* pieces of the run between blocks of three or more equal characters */
        Py_ssize_t start = i;
        while (start < end) {
            Py_ssize_t stop = start;
            while (stop < end) {
                Py_UCS4 c = PyUnicode_READ(kind, data, stop);
                Py_ssize_t same = stop + 1;
                while (same < end && PyUnicode_READ(kind, data, same) == c) same++;
                if (same - stop >= 3) break;
                stop = same;
            }
            int before = 0;  /* the character before this one paired with it */
            for (Py_ssize_t k = start; k + 1 < stop; k++) {
                int after = known_pair(keys, nkeys, index, PyUnicode_READ(kind, data, k),
                                       PyUnicode_READ(kind, data, k + 1));
                if (before || after) paired++;
                before = after;
            }
            if (before) paired++;  /* the last character, paired with the one before it */
            if (stop >= end) break;
            /* skip the block of equal characters */
            Py_UCS4 c = PyUnicode_READ(kind, data, stop);
            start = stop;
            while (start < end && PyUnicode_READ(kind, data, start) == c) start++;
        }
        i = end;
    }
    PyBuffer_Release(&pairs);
    PyBuffer_Release(&offsets);
    return PyFloat_FromDouble((double)paired / (double)(total > sample_han ? sampled : total));
}

/* make_lines(raw_lines, number, line_type, slots, fold, round) -> list of line_type
 *
 * ingest.extract._line_of of each RawLine of a page (a full-width line, no gutter),
 * compiled: Line(fold(text), number, x0, x1, top, bottom, round(size, 1), red, False, 0).
 * A Line is a dataclass with slots; it is allocated and its ten slots are set in field
 * order, at the offsets of the member descriptors in ``slots`` (Line.__init__ runs
 * Python code for every line). ``fold`` is called for a text holding a code point of
 * U+2E80-U+2FD5, the only ones it maps (its own first check); ``round`` is Python's.
 */
static PyObject *
make_lines(PyObject *self, PyObject *args)
{
    PyObject *raws, *number, *slots, *fold, *round_fn;
    PyTypeObject *line_type;
    if (!PyArg_ParseTuple(args, "O!OO!O!OO", &PyList_Type, &raws, &number, &PyType_Type, &line_type,
                          &PyTuple_Type, &slots, &fold, &round_fn))
        return NULL;
    if (PyTuple_GET_SIZE(slots) != 10) {
        PyErr_SetString(PyExc_ValueError, "make_lines takes the 10 slots of Line");
        return NULL;
    }
    Py_ssize_t offsets[10];
    for (int k = 0; k < 10; k++) {
        PyObject *d = PyTuple_GET_ITEM(slots, k);
        if (!Py_IS_TYPE(d, &PyMemberDescr_Type) || PyDescr_TYPE(d) != line_type
            || ((PyMemberDescrObject *)d)->d_member->type != T_OBJECT_EX) {
            PyErr_SetString(PyExc_TypeError, "make_lines takes the object slots of line_type");
            return NULL;
        }
        offsets[k] = ((PyMemberDescrObject *)d)->d_member->offset;
    }
    Py_ssize_t n = PyList_GET_SIZE(raws);
    PyObject *out = PyList_New(n);
    PyObject *one = PyLong_FromLong(1);
    PyObject *zero = PyLong_FromLong(0);
    if (out == NULL || one == NULL || zero == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *raw = PyList_GET_ITEM(raws, i);
        if (!PyTuple_Check(raw) || PyTuple_GET_SIZE(raw) != 8 || !PyUnicode_Check(PyTuple_GET_ITEM(raw, 0))) {
            PyErr_SetString(PyExc_TypeError, "make_lines takes RawLine tuples");
            goto fail;
        }
        PyObject *text = PyTuple_GET_ITEM(raw, 0);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        int radical = 0;
        if (kind != PyUnicode_1BYTE_KIND) {
            for (Py_ssize_t j = 0; j < length && !radical; j++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, j);
                radical = c >= 0x2E80 && c <= 0x2FD5;
            }
        }
        PyObject *folded = radical ? PyObject_CallOneArg(fold, text) : Py_NewRef(text);
        if (folded == NULL)
            goto fail;
        PyObject *round_args[2] = {PyTuple_GET_ITEM(raw, 6), one};
        PyObject *size = PyObject_Vectorcall(round_fn, round_args, 2, NULL);
        if (size == NULL) {
            Py_DECREF(folded);
            goto fail;
        }
        PyObject *line = line_type->tp_alloc(line_type, 0);
        if (line == NULL) {
            Py_DECREF(folded);
            Py_DECREF(size);
            goto fail;
        }
        PyObject *fields[10] = {
            folded, Py_NewRef(number),
            Py_NewRef(PyTuple_GET_ITEM(raw, 2)), Py_NewRef(PyTuple_GET_ITEM(raw, 3)),
            Py_NewRef(PyTuple_GET_ITEM(raw, 4)), Py_NewRef(PyTuple_GET_ITEM(raw, 5)),
            size, Py_NewRef(PyTuple_GET_ITEM(raw, 7)), Py_NewRef(Py_False), Py_NewRef(zero),
        };
        for (int k = 0; k < 10; k++)
            *(PyObject **)((char *)line + offsets[k]) = fields[k];
        PyList_SET_ITEM(out, i, line);
    }
    Py_DECREF(one);
    Py_DECREF(zero);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(one);
    Py_XDECREF(zero);
    return NULL;
}

static PyMethodDef methods[] = {
    {"read_chars", read_chars, METH_VARARGS,
     "read_chars(handle, count, height, functions, char_type, hypot) -> list of char_type\n\n"
     "The characters of a pdfium text page (see ingest.chars._read_chars)."},
    {"build_lines", build_lines, METH_VARARGS,
     "build_lines(chars, line_type, dedupe_tol, x_tol, y_tol) -> list of line_type\n\n"
     "Text lines of Char tuples (see ingest.chars.build_lines_python); NotImplemented\n"
     "when a character is not a Char of floats."},
    {"gutter_cover", gutter_cover, METH_VARARGS,
     "gutter_cover(chars, tolerance, lo_share, hi_share, min_chars, min_rows)\n"
     "    -> (rows, left, right, lo, cover) | None | NotImplemented\n\n"
     "The rows and cover of ingest.columns._cover_python, compiled."},
    {"page_objects", page_objects, METH_VARARGS,
     "page_objects(handle, functions, image_kind, path_kind, form_kind) -> (images, ruled)\n\n"
     "Images on a pdfium page and whether its paths could be a ruled table\n"
     "(see ingest.chars.page_objects_python)."},
    {"make_lines", make_lines, METH_VARARGS,
     "make_lines(raw_lines, number, line_type, slots, fold, round) -> list of line_type\n\n"
     "ingest.extract._line_of of each full-width RawLine, compiled."},
    {"language_score", language_score, METH_VARARGS,
     "language_score(text, pairs, index, min_han, sample_han) -> float | None\n\n"
     "The language score of ingest.quality.language_score_python, compiled."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "ingest._chars", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__chars(void)
{
    return PyModule_Create(&module);
}
