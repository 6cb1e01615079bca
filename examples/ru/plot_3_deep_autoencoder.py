"""
Глубокий автоэнкодер
====================

У глубокого автоэнкодера больше число слоев и, самое главное, нелинейная функция
активации между ними (в нашем случае *ELU* — Exponential Linear Unit). На зашумленной
синусоиде он находит саму кривую, тогда как линейный автоэнкодер мог найти лишь прямую.
"""

# %%
# Модель
# ------
#
# По два скрытых слоя из 64 нейронов с каждой стороны от одномерного кода, между ними
# ELU:

import matplotlib.pyplot as plt
from keras.layers import Dense, Input
from keras.models import Model
from keras.optimizers import Adam
from sklearn.decomposition import PCA

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("ru")  # что библиотека печатает и рисует — по-русски
sine = data.make_sine_data()
dots = sine.dots


def deep_ae():
    input_dots = Input((2,))
    x = Dense(64, activation="elu")(input_dots)
    x = Dense(64, activation="elu")(x)
    code = Dense(1, activation="linear")(x)
    x = Dense(64, activation="elu")(code)
    x = Dense(64, activation="elu")(x)
    out = Dense(2, activation="linear")(x)

    ae = Model(input_dots, out)
    return ae


dae = deep_ae()
dae.summary()

# %%
# В статье его обучают оптимизатором Adam со скоростью обучения 0,003 по
# среднеквадратичной ошибке, 200 эпох с батчами по 30.

dae.compile(Adam(0.003), "mse")
run = training.fit(dae, dots, dots, epochs=200, batch_size=30, name="deep_ae")

pdots_d = dae.predict(dots, batch_size=30, verbose=0)
pca = PCA(1)
pdots_pca = pca.inverse_transform(pca.fit_transform(dots))

# %%
# Картинка
# --------
#
# Как и раньше: синие точки — данные, красная кривая — истинная, белая — образ данных
# после автоэнкодера, оранжевая — после PCA; кружки переходят в звездочки своего цвета.

plotting.plot_manifold(sine, pdots_d, pdots_pca)

# %%
# У такого автоэнкодера практически идеально получилось построить определяющее
# многообразие: белая кривая почти совпадает с красной. Без синих точек это видно лучше:
# белая кривая закрывает красную почти на всей ее длине (красная видна лишь на одном
# конце), а оранжевая линия PCA остается прямой.

plotting.plot_manifold(sine, pdots_d, pdots_pca, show_data=False)

# %%
# Код — это параметр кривой
# -------------------------
#
# Код — одно число, и декодер переводит каждое число в точку плоскости: белая кривая —
# это образ кодов под действием декодера. На странице этого урока на сайте этот самый
# декодер работает прямо в браузере: двигайте ползунок, задающий код, и точка, которую
# строит декодер, побежит вдоль кривой. За пределами кодов данных (пунктирные концы
# кривой) декодер по-прежнему выдает точки и продолжает кривую туда, где данных для
# обучения не было.
#
# .. _live-sine-code:
#
# Там же эту модель можно обучить прямо в браузере, на тренажере: меняйте ширину и
# глубину сети, активацию или скорость обучения и смотрите, какую кривую выучивает сеть.
#
# .. _live-trainer-deep-ae:

# %%
# Насколько близко это «почти»?
# -----------------------------
#
# Среднее расстояние от выходов автоэнкодера до истинной кривой по сравнению с тем же
# расстоянием для линейного автоэнкодера с
# :doc:`предыдущей страницы <plot_2_linear_autoencoder>` (его по имени дает
# :func:`ae_gallery.training.train`) и для самих зашумленных данных:

linear = training.train("linear_ae")
linear_dots = linear.model.predict(dots, batch_size=30, verbose=0)

deep_distance = latent.distance_to_curve(pdots_d).mean()
linear_distance = latent.distance_to_curve(linear_dots).mean()
distances = {
    "глубокий автоэнкодер": deep_distance,
    "линейный автоэнкодер": linear_distance,
    "PCA": latent.distance_to_curve(pdots_pca).mean(),
    "данные (шум)": latent.distance_to_curve(dots).mean(),
}
for label, value in distances.items():
    print(f"{label:>20}: {value:.4f}")
ratio = linear_distance / deep_distance
print(f"глубокий автоэнкодер ближе к истинной кривой, чем линейный, в {ratio:.1f} раза")

# %%
# Кривая глубокого автоэнкодера намного ближе к истинной, чем прямые, и ближе, чем сами
# данные: он усреднил шум.
#
# Кривая обучения
# ---------------

plotting.plot_training_curves({"deep_ae": run.history, "linear_ae": linear.history})

# %%
# Глубокий автоэнкодер теоретически сможет найти многообразие произвольной сложности,
# например такое, около которого лежат цифры в 784-мерном пространстве.

# sphinx_gallery_start_ignore
# Карточка урока в списке уроков, нарисованная для маленького размера (на странице ее нет).
plotting.plot_glance(sine, pdots_d).set_label("card")
# sphinx_gallery_end_ignore

plt.show()

# sphinx_gallery_thumbnail_number = -1
# sphinx_gallery_english_sha256 = "10afda24a31ba9479d873a576e099064ab9c157583a264a87dff59e328a24633"
