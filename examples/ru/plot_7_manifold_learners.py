"""
Автоэнкодер среди методов обучения многообразий
===============================================

Автоэнкодер — не единственный способ найти многообразие, вблизи которого лежат данные. У
обучения многообразий (manifold learning) есть свои классические методы: PCA, Isomap,
локально линейное вложение (LLE), t-SNE и более новый UMAP. Здесь они встречаются с
автоэнкодерами на двух наборах данных статьи — зашумленной синусоиде и цифрах MNIST — и
измеряются бок о бок: насколько каждый сохраняет соседей точки рядом с ней, умеет ли он
переводить код обратно в объект и сколько времени на это уходит. Через весь урок проходит
одно различие: автоэнкодер выучивает два отображения — из объекта в его код и из кода в
объект, — и его декодер рисует объект в любой точке пространства кодов.
"""

# %%
# Методы
# ------
#
# Каждый метод используется так, как его предлагает библиотека, с настройками по
# умолчанию, кроме оговоренных: Isomap и LLE смотрят на 12 соседей каждой точки, как в
# собственном сравнении этих методов в scikit-learn, а всем методам, которые используют
# случайные числа, задано зерно генератора, чтобы страница показывала одни и те же карты при
# каждой сборке (UMAP с зерном работает на одном ядре). t-SNE из scikit-learn размещает
# только те точки, на которых он обучен: метода ``transform`` для новой точки у него нет (в
# других реализациях, например openTSNE, он есть).

import time

import matplotlib.pyplot as plt
import numpy as np
from keras.layers import Dense, Flatten, Input, Reshape
from keras.models import Model
from scipy.stats import spearmanr
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, Isomap, LocallyLinearEmbedding, trustworthiness
from umap import UMAP

from ae_gallery import data, device, i18n, latent, plotting, training

i18n.set_language("ru")  # что библиотека печатает и рисует — по-русски


def manifold_learners(dimensions):
    return {
        "PCA": PCA(dimensions),
        "Isomap": Isomap(n_neighbors=12, n_components=dimensions),
        "LLE": LocallyLinearEmbedding(n_neighbors=12, n_components=dimensions, random_state=0),
        "t-SNE": TSNE(dimensions, random_state=0),
        "UMAP": UMAP(n_components=dimensions, random_state=0, n_jobs=1),
    }


# %%
# Синусоида: 2 → 1
# ----------------
#
# Зашумленная синусоида первых уроков: каждый метод дает каждой точке одно число — ее код.
# Мысль статьи в том, что код хорошего автоэнкодера — это параметр кривой: с ростом кода
# точка движется вдоль кривой. Если так, то, упорядочив точки по коду, мы упорядочим их по
# :math:`x` на кривой. Насколько это удается, говорит ранговая корреляция Спирмена между
# кодом и :math:`x`: по модулю она равна 1, если коды идут ровно в порядке кривой (или ровно
# в обратном), и близка к 0, если порядка в них нет.
#
# Автоэнкодер — глубокий из :doc:`урока 3 <plot_3_deep_autoencoder>`, загруженный по имени
# (опубликованные веса); его код — выход слоя из одного нейрона, ``deep.layers[3]``
# (четвертого, считая входной). Здесь он не обучается, поэтому времени у него в таблице нет.

sine = data.make_sine_data()
deep = training.train("deep_ae").model
deep_encoder = Model(deep.inputs, deep.layers[3].output)

sine_codes, fit_seconds = {}, {}
for name, method in manifold_learners(1).items():
    start = time.perf_counter()
    sine_codes[name] = method.fit_transform(sine.dots)[:, 0]
    fit_seconds[name] = time.perf_counter() - start
sine_codes |= {"автоэнкодер": deep_encoder.predict(sine.dots, verbose=0)[:, 0]}

print(f"{'метод':<12} |Спирмен| между кодом и x   обучение, с")
for name, code in sine_codes.items():
    rho = abs(spearmanr(code, sine.x).statistic)
    seconds = f"{fit_seconds[name]:13.1f}" if name in fit_seconds else f"{'—':>13}"
    print(f"{name:<12} {rho:25.4f} {seconds}")

# %%
# Код каждой точки в зависимости от ее :math:`x`, по панели на метод; цветные точки — те, что
# выделяли цветом прошлые уроки.

plotting.plot_codes_along_curve(sine, sine_codes)

# %%
# Все методы, кроме UMAP, упорядочивают точки вдоль кривой: их коды растут (или убывают)
# вместе с :math:`x`. UMAP режет кривую на куски и кладет куски рядом на своей прямой,
# каждый в своем порядке, так что его коды сохраняют порядок внутри куска, но не вдоль всей
# кривой. На этой кривой точки упорядочивает даже прямая PCA: синусоида нигде не
# поворачивает назад по :math:`x`, и проекция точек на ее главное направление сохраняет их
# порядок.
#
# Упорядочить точки — половина мысли статьи. Другая половина — обратный путь: PCA тоже
# умеет превратить код в точку, но его точки лежат на прямой
# (:doc:`урок 2 <plot_2_linear_autoencoder>`), а декодер автоэнкодера превращает каждый код
# в точку кривой. Насколько в среднем далеко от настоящей кривой то, во что каждый из двух
# методов переводит данные, и сами данные:

pca = PCA(1)
back = {
    "PCA": pca.inverse_transform(pca.fit_transform(sine.dots)),
    "автоэнкодер": deep.predict(sine.dots, verbose=0),
}
for name, points in back.items():
    print(f"{name:<12} {latent.distance_to_curve(points).mean():.4f}")
print(f"{'данные':<12} {latent.distance_to_curve(sine.dots).mean():.4f}")

# %%
# Точки декодера лежат ближе к настоящей кривой, чем зашумленные данные; прямая PCA —
# дальше от нее, чем данные.
#
# У Isomap, LLE, t-SNE и UMAP обратного пути от одномерного кода нет: Isomap, LLE и t-SNE
# из scikit-learn вообще не умеют превращать код в точку, а ``inverse_transform`` у UMAP
# требует хотя бы двух измерений.
#
# MNIST: 784 → 2
# --------------
#
# Теперь цифры — каждая точка 784-мерного пространства изображений — отображаются на
# плоскость: по два числа на цифру, которые можно нарисовать на странице.
#
# Автоэнкодер здесь новый: полносвязный, как глубокий автоэнкодер из
# :doc:`урока 6 <plot_6_latent_variables>`, но с кодом из двух чисел и своим декодером,
# чтобы декодировать можно было любую точку плоскости.

(x_train, y_train), (x_test, y_test) = data.load_mnist()


def create_plane_ae():
    # Энкодер
    input_img = Input(shape=(28, 28, 1))
    x = Flatten()(input_img)
    x = Dense(128, activation="relu")(x)
    x = Dense(32, activation="relu")(x)
    encoded = Dense(2, activation="linear")(x)

    # Декодер
    input_encoded = Input(shape=(2,))
    x = Dense(32, activation="relu")(input_encoded)
    x = Dense(128, activation="relu")(x)
    x = Dense(28 * 28, activation="sigmoid")(x)
    decoded = Reshape((28, 28, 1))(x)

    # Модели
    encoder = Model(input_img, encoded, name="encoder")
    decoder = Model(input_encoded, decoded, name="decoder")
    autoencoder = Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return encoder, decoder, autoencoder


encoder, decoder, autoencoder = create_plane_ae()
encoder.summary()

# %%
# Он обучается так же, как автоэнкодеры статьи на MNIST: оптимизатором Adam по бинарной
# кросс-энтропии, батчами по 256, с валидацией на тестовых изображениях. За 100 эпох
# потери на тестовых изображениях перестают падать: его кривая обучения — в конце страницы.

autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
plane = training.fit(
    autoencoder,
    x_train,
    x_train,
    epochs=100,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="plane_ae",
)

# %%
# Классические методы обучаются на 2 000 случайных обучающих цифр: у большинства из них
# время и память растут быстрее числа точек (Isomap и LLE сравнивают каждую точку с каждой;
# у PCA — нет, но он обучается на тех же 2 000, чтобы все видели одни и те же цифры), а
# при 2 000 точек даже самый медленный из них укладывается во время сборки страницы на
# двух ядрах процессора (время каждого — в таблице ниже). Затем каждый метод оценивается на
# одних и тех же 500 тестовых цифрах, ни на одной из которых он не обучался, — кроме t-SNE:
# он обучается на 2 000 и 500 вместе.

rng = np.random.default_rng(0)
train = x_train[rng.choice(len(x_train), 2000, replace=False)].reshape(2000, 784)
held_out = rng.choice(len(x_test), 500, replace=False)
test = x_test[held_out].reshape(500, 784)
test_labels = y_test[held_out]


def fit_and_embed(method, train, test):
    """Метод, обученный на ``train``, коды ``test`` и секунды, ушедшие на то и другое."""
    start = time.perf_counter()
    if isinstance(method, TSNE):  # он вкладывает только то, на чем обучен: оба набора сразу
        codes = method.fit_transform(np.concatenate([train, test]))[len(train) :]
        return codes, time.perf_counter() - start, None
    method.fit(train)
    fitted = time.perf_counter()
    return method.transform(test), fitted - start, time.perf_counter() - fitted


methods = manifold_learners(2)
maps, seconds = {}, {}
for name, method in methods.items():
    maps[name], *seconds[name] = fit_and_embed(method, train, test)
start = time.perf_counter()
plane_codes = encoder.predict(test.reshape(500, 28, 28, 1), verbose=0)
maps |= {"автоэнкодер": plane_codes}
seconds |= {"автоэнкодер": [plane.seconds, time.perf_counter() - start]}

# %%
# Соседи сохраненные, соседи выдуманные
# -------------------------------------
#
# Карта цифр хороша, если цифры, соседние в пространстве изображений, остаются соседями на
# плоскости, а цифры, соседние на плоскости, были соседями и среди изображений. Это
# измеряют две оценки,
# каждая от 0 до 1:
#
# - *достоверность* (trustworthiness, :func:`~sklearn.manifold.trustworthiness` из
#   scikit-learn) штрафует за соседей на плоскости, которые среди изображений были далеко
#   друг от друга, — соседей, выдуманных картой;
# - *непрерывность* (continuity), та же мера с переставленными пространствами, штрафует за
#   соседей среди изображений, чье соседство карта разорвала.
#
# Обе смотрят на 10 ближайших соседей каждой цифры среди этих 500. Там, где метод умеет
# переводить код обратно в изображение (PCA, автоэнкодер и UMAP), ошибка восстановления —
# средний по пикселям квадрат разности между тестовой цифрой и изображением, сделанным из ее
# кода; обратный путь UMAP медленный, поэтому для UMAP ошибка считается по 100 цифрам (для
# двух других — по всем 500).

neighbours = 10
images_of_codes = {
    "PCA": methods["PCA"].inverse_transform(maps["PCA"]),
    "UMAP": methods["UMAP"].inverse_transform(maps["UMAP"][:100]),
    "автоэнкодер": decoder.predict(plane_codes, verbose=0).reshape(500, 784),
}
scores = {}
for name, codes in maps.items():
    scores[name] = {
        "trustworthiness": trustworthiness(test, codes, n_neighbors=neighbours),
        "continuity": trustworthiness(codes, test, n_neighbors=neighbours),
    }
    if name in images_of_codes:
        made = images_of_codes[name]
        scores[name]["error"] = ((made - test[: len(made)]) ** 2).mean()

trained_on = {name: 2000 for name in methods} | {"t-SNE": 2500, "автоэнкодер": len(x_train)}
print(
    f"{'метод':<13}{'обучен на':>11}{'достоверн.':>12}{'непрерывн.':>12}"
    f"{'ошибка':>9}{'обуч., с':>10}{'влож., с':>10}"
)
for name, score in scores.items():
    fit, embed = seconds[name]
    print(
        f"{name + ('*' if name == 't-SNE' else ''):<13}{i18n.number(trained_on[name]):>11}"
        f"{score['trustworthiness']:>12.3f}{score['continuity']:>12.3f}"
        + (f"{score['error']:>9.4f}" if "error" in score else f"{'—':>9}")
        + f"{fit:>9.1f}{' ' if name in methods else '†'}"
        + (f"{embed:>10.2f}" if embed is not None else f"{'—':>10}")
    )
print("* обучен сразу на 2 500 цифрах: 2 000 обучающих и 500 тестовых")
print(
    f"† обучение автоэнкодера: {device.describe_device(plane.device)}"
    + (" (его веса загружены, а не обучены здесь)" if plane.published else "")
)

# %%
# Карты, по одной на метод: тестовые цифры, окрашенные по цифре, которую они изображают;
# в заголовке каждой — две ее оценки (Д — достоверность, Н — непрерывность):

plotting.plot_digit_maps(
    maps,
    test_labels,
    titles={
        name: f"{name}\n"
        + "Д {t}, Н {c}".format(
            t=i18n.number(score["trustworthiness"], ".2f"),
            c=i18n.number(score["continuity"], ".2f"),
        )
        for name, score in scores.items()
    },
)

# %%
# Таблица и карты говорят одно и то же. Лучше всех соседство сохраняют t-SNE и UMAP:
# большинство цифр собирается в кластеры из цифр того же вида, и обе их оценки самые
# высокие (правда, карта t-SNE обучена на этих самых 500 цифрах, а UMAP их не видел).
# Автоэнкодер идет
# следом по достоверности, намного выше PCA, Isomap и LLE, чьи карты кладут цифры друг на
# друга: цифры, которые он кладет рядом, по большей части и были соседями среди
# изображений. Однако его непрерывность — самая низкая в таблице: по этой мере он
# разрывает соседство среди изображений сильнее любого другого метода, и его карта
# подсказывает, как: единицы и семерки вытягиваются в длинные рукава, а остальные цифры
# теснятся там, где рукава сходятся. Это сравнение такое, какое позволяет цена каждого
# метода, а не равное: автоэнкодер обучался на всех 60 000 обучающих цифр, остальные — на
# 2 000 (одному Isomap понадобилась бы таблица из 60 000 × 60 000 расстояний, около
# 29 ГБ).
#
# Его ошибка восстановления — самая низкая из трех методов с обратным путем: из двух чисел
# его декодер рисует больше от цифры, чем сохраняет лучшая плоскость PCA или обратный путь
# UMAP, который смешивает 784 обучающие цифры с ближайшими кодами (umap-learn берет их
# столько, сколько в изображении пикселей). Что до времени, автоэнкодер обучается один
# раз — несколько минут — на всех обучающих цифрах, и его веса опубликованы, а вложить
# потом новую цифру — это один проход через энкодер. UMAP вкладывает новые цифры через
# соседей, найденных в его обучающем наборе; t-SNE из scikit-learn не умеет вкладывать их
# вовсе. Во время UMAP входит компиляция его кода (numba) при первых вызовах в процессе,
# за которую следующие вызовы уже не платят.
#
# Вдоль прямой на плоскости
# -------------------------
#
# Обратный путь лучше всего виден вдоль прямой: прямая в плоскости каждого метода от кода
# тестового нуля до кода тестовой единицы, в десяти равноотстоящих точках, включая концы, и
# каждый код превращен в изображение декодером автоэнкодера (вверху), методом
# ``inverse_transform`` у PCA (в середине) и у UMAP (внизу).


def straight_line(start, end, points=10):
    return np.array([start + t * (end - start) for t in np.linspace(0.0, 1.0, points)])


ends = [np.flatnonzero(test_labels == digit)[0] for digit in (0, 1)]
plotting.plot_digits(
    decoder.predict(straight_line(*plane_codes[ends]), verbose=0),
    methods["PCA"].inverse_transform(straight_line(*maps["PCA"][ends])).reshape(-1, 28, 28),
    methods["UMAP"].inverse_transform(straight_line(*maps["UMAP"][ends])).reshape(-1, 28, 28),
    description="Десять изображений вдоль прямой от кода нуля до кода единицы, сделанные "
    "декодером автоэнкодера (верхний ряд), PCA (средний ряд) и UMAP (нижний ряд).",
)

# %%
# Декодер рисует цифру почти на каждом шаге, и по дороге прямая проходит через другие
# цифры — те, чьи коды она пересекает. Изображения PCA — смеси: они лежат на прямой между
# PCA-образами двух цифр, это путь в пространстве пикселей из
# :doc:`урока 4 <plot_4_mnist_homotopy>`, спроецированный на плоскость, которая мало что
# сохраняет от цифры. Изображения UMAP — зернистые смеси обучающих цифр, и даже на двух
# концах они мало похожи на 0 и 1: обученный на 2 000 цифрах, его обратный путь сохраняет от
# цифры меньше, чем у PCA, как и говорит его ошибка восстановления в таблице.
#
# Плоскость кодов
# ---------------
#
# На странице этого урока на сайте показана плоскость кодов автоэнкодера — тестовые цифры
# на ней, окрашенные по тому, что они изображают; ведите по ней указателем (или ползунками,
# стрелками клавиатуры), и этот самый декодер прямо в браузере нарисует цифру кода под
# указателем — между кластерами и за их пределами.
#
# .. _live-code-plane:
#
# Кривая обучения
# ---------------

plotting.plot_training_curves({"plane_ae": plane.history})

# sphinx_gallery_start_ignore
# Карточка урока в списке уроков, нарисованная для чтения в малом размере (не на его странице).
plotting.plot_digit_maps(
    {name: maps[name] for name in ("UMAP", "автоэнкодер")}, test_labels, columns=2
).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
# sphinx_gallery_english_sha256 = "f619f10da1c72d5911434e71fc31d1f98c15996a249c69bdbee561e177206755"
