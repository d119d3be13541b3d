/* The token streams of the embedded index's rows (gazette.backends.sqlite.analyse),
 * compiled.
 *
 * chars_and_grams(text) does what gazette.backends.sqlite.chars_and_grams_python does
 * on text already in normal form (gazette.analysis.normalize): the tokens of
 * gazette.analysis.chars — one per Han character, one per run of ASCII letters and
 * digits with its ".digits" parts (the pattern [HAN]|[a-z0-9]+(?:\.[0-9]+)*) — joined by
 * spaces, and their index grams (gazette.backends.sqlite.grams: a Han character followed
 * by another Han token makes a bigram, every other token stands alone) joined by
 * spaces. tests/backends/test_sqlite_rows.py checks both give the same strings.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
is_han(Py_UCS4 c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}

static int
is_word(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
is_digit(Py_UCS4 c)
{
    return c >= '0' && c <= '9';
}

static PyObject *
chars_and_grams(PyObject *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "chars_and_grams() takes a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);

    /* tokens as (start, length) pairs; a Han token has length 1 and a Han character */
    Py_ssize_t *starts = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    Py_ssize_t *lengths = PyMem_Malloc(sizeof(Py_ssize_t) * (n + 1));
    /* chars: every code point of the tokens plus a space between them; grams: a Han
     * token may take two code points, so at most twice the text plus the spaces */
    Py_UCS4 *chars = PyMem_Malloc(sizeof(Py_UCS4) * (2 * n + 1));
    Py_UCS4 *grams = PyMem_Malloc(sizeof(Py_UCS4) * (3 * n + 1));
    if (starts == NULL || lengths == NULL || chars == NULL || grams == NULL) {
        PyMem_Free(starts);
        PyMem_Free(lengths);
        PyMem_Free(chars);
        PyMem_Free(grams);
        return PyErr_NoMemory();
    }

    Py_ssize_t count = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (is_han(c)) {
            starts[count] = i;
            lengths[count] = 1;
            count++;
            i++;
        }
        else if (is_word(c)) {
            Py_ssize_t j = i + 1;
            while (j < n && is_word(PyUnicode_READ(kind, data, j)))
                j++;
            /* (?:\.[0-9]+)* */
            while (j + 1 < n && PyUnicode_READ(kind, data, j) == '.' && is_digit(PyUnicode_READ(kind, data, j + 1))) {
                j += 2;
                while (j < n && is_digit(PyUnicode_READ(kind, data, j)))
                    j++;
            }
            starts[count] = i;
            lengths[count] = j - i;
            count++;
            i = j;
        }
        else {
            i++;
        }
    }

    Py_ssize_t nc = 0, ng = 0;
    for (Py_ssize_t t = 0; t < count; t++) {
        if (t) {
            chars[nc++] = ' ';
            grams[ng++] = ' ';
        }
        Py_ssize_t s = starts[t];
        for (Py_ssize_t k = 0; k < lengths[t]; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, s + k);
            chars[nc++] = c;
            grams[ng++] = c;
        }
        /* a Han character followed by a Han token: the bigram of the two */
        if (lengths[t] == 1 && t + 1 < count && lengths[t + 1] == 1) {
            Py_UCS4 a = PyUnicode_READ(kind, data, s);
            Py_UCS4 b = PyUnicode_READ(kind, data, starts[t + 1]);
            if (is_han(a) && is_han(b))
                grams[ng++] = b;
        }
    }

    PyObject *chars_text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, nc);
    PyObject *grams_text = chars_text ? PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, grams, ng) : NULL;
    PyMem_Free(starts);
    PyMem_Free(lengths);
    PyMem_Free(chars);
    PyMem_Free(grams);
    if (grams_text == NULL) {
        Py_XDECREF(chars_text);
        return NULL;
    }
    PyObject *result = PyTuple_Pack(2, chars_text, grams_text);
    Py_DECREF(chars_text);
    Py_DECREF(grams_text);
    return result;
}

static PyMethodDef methods[] = {
    {"chars_and_grams", chars_and_grams, METH_O,
     "chars_and_grams(text) -> (chars_text, grams_text)\n\n"
     "The index token streams of normalised text (see\n"
     "gazette.backends.sqlite.chars_and_grams_python)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gazette.backends._rows", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__rows(void)
{
    return PyModule_Create(&module);
}
