"""
Пути между цифрами: пространство пикселей и пространство кодов
==============================================================

Если взять два объекта и посмотреть на объекты, лежащие на произвольной кривой между
ними, то, скорее всего, промежуточные объекты не будут принадлежать генеральной
совокупности, т. к. многообразие, на котором лежит генеральная совокупность, может быть
сильно искривленным и малоразмерным. Разницу видно на сверточном автоэнкодере, обученном
на MNIST: прямой путь между двумя восьмерками в пространстве пикселей уходит от цифр, а
прямой путь между их кодами после декодирования остается среди них.
"""

# %%
# Данные
# ------
#
# Вернемся к датасету рукописных цифр из предыдущей части: это MNIST, изображения формы
# :math:`28 \times 28 \times 1` со значениями, приведенными к :math:`[0, 1]`.

import matplotlib.pyplot as plt
from keras.layers import Conv2D, Dense, Dropout, Flatten, Input, MaxPooling2D, UpSampling2D
from keras.models import Model

from ae_gallery import data, i18n, latent, plotting, training

i18n.set_language("ru")  # что библиотека печатает и рисует — по-русски
(x_train, y_train), (x_test, y_test) = data.load_mnist()
print(f"обучающие изображения: {x_train.shape}, тестовые: {x_test.shape}")

# %%
# Сверточный автоэнкодер
# ----------------------
#
# Глубокий сверточный автоэнкодер из статьи: энкодер переводит цифру в код формы
# :math:`7 \times 7 \times 1`, то есть в 49 чисел, а декодер переводит код обратно.


def create_deep_conv_ae():
    input_img = Input(shape=(28, 28, 1))

    x = Conv2D(128, (7, 7), activation="relu", padding="same")(input_img)
    x = MaxPooling2D((2, 2), padding="same")(x)
    x = Conv2D(32, (2, 2), activation="relu", padding="same")(x)
    x = MaxPooling2D((2, 2), padding="same")(x)
    encoded = Conv2D(1, (7, 7), activation="relu", padding="same")(x)

    # На этом моменте представление (7, 7, 1), т. е. 49-размерное

    input_encoded = Input(shape=(7, 7, 1))
    x = Conv2D(32, (7, 7), activation="relu", padding="same")(input_encoded)
    x = UpSampling2D((2, 2))(x)
    x = Conv2D(128, (2, 2), activation="relu", padding="same")(x)
    x = UpSampling2D((2, 2))(x)
    decoded = Conv2D(1, (7, 7), activation="sigmoid", padding="same")(x)

    # Модели
    encoder = Model(input_img, encoded, name="encoder")
    decoder = Model(input_encoded, decoded, name="decoder")
    autoencoder = Model(input_img, decoder(encoder(input_img)), name="autoencoder")
    return encoder, decoder, autoencoder


encoder, decoder, autoencoder = create_deep_conv_ae()
encoder.summary()
decoder.summary()

# %%
# В статье его обучают оптимизатором Adam (с настройками по умолчанию) по бинарной
# кросс-энтропии, 50 эпох с батчами по 256, с валидацией на тестовых изображениях.

autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
conv = training.fit(
    autoencoder,
    x_train,
    x_train,
    epochs=50,
    batch_size=256,
    shuffle=True,
    validation_data=(x_test, x_test),
    name="conv_ae",
)

# %%
# Насколько хорошо он восстанавливает: десять тестовых цифр (сверху) и то, что из них
# делает автоэнкодер (снизу).

decoded = autoencoder.predict(x_test[:10], batch_size=10, verbose=0)
plotting.plot_digits(x_test[:10], decoded)

# %%
# Прямая в пространстве пикселей
# ------------------------------
#
# Две восьмерки из тестовой выборки и прямой путь (гомотопия по прямой) между ними в
# пространстве изображений: каждый кадр — взвешенное среднее двух изображений.

eights = x_test[y_test == 8][1:3]
plotting.plot_homotopy(eights[0], eights[1], n=10)

# %%
# Прямая в пространстве кодов
# ---------------------------
#
# Если же двигаться по кривой между кодами (и если многообразие кодов хорошо
# параметризовано), то декодер переведет эту кривую из пространства кодов в кривую, не
# покидающую определяющее многообразие в пространстве объектов. То есть промежуточные
# объекты на кривой будут принадлежать генеральной совокупности.

codes = encoder.predict(eights, verbose=0)
plotting.plot_homotopy(codes[0], codes[1], n=10, decoder=decoder)

# %%
# Промежуточные цифры — вполне себе хорошие восьмерки.
#
# Таким образом, можно сказать, что автоэнкодер, по крайней мере локально, выучил форму
# определяющего многообразия.
#
# На странице этого урока на сайте можно выбрать две тестовые цифры и пройти между ними
# сразу по обоим путям: рядом показаны смесь двух изображений и то, во что декодер
# переводит смесь их кодов. Все это прямо в браузере вычисляет этот самый декодер.
#
# .. _live-digit-paths:
#
# Восьмерки ли это? Решает классификатор цифр
# -------------------------------------------
#
# «Вполне себе хорошие восьмерки» — это оценка на глаз. Чтобы выразить ее числом, обучим
# небольшой классификатор цифр на обучающих изображениях MNIST и дадим ему прочитать
# каждый кадр обоих путей. В статье его нет: это два сверточных блока и полносвязный
# слой с Dropout (как в примере сверточной сети для MNIST из keras-io), так что за
# десять эпох точность на тестовой выборке превышает 99 % без переобучения.


def digit_classifier():
    inputs = Input(shape=(28, 28, 1))
    x = Conv2D(32, (3, 3), activation="relu")(inputs)
    x = MaxPooling2D((2, 2))(x)
    x = Conv2D(64, (3, 3), activation="relu")(x)
    x = MaxPooling2D((2, 2))(x)
    x = Flatten()(x)
    x = Dropout(0.5)(x)
    x = Dense(128, activation="relu")(x)
    outputs = Dense(10, activation="softmax")(x)
    return Model(inputs, outputs, name="digit_classifier")


reader = digit_classifier()
reader.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
reader_run = training.fit(
    reader,
    x_train,
    y_train,
    epochs=10,
    batch_size=128,
    validation_data=(x_test, y_test),
    name="digit_classifier",
)
accuracy = (reader.predict(x_test, batch_size=500, verbose=0).argmax(axis=1) == y_test).mean()
print(f"точность классификатора на тестовых изображениях: {accuracy:.2%}")

# %%
# Подпись под каждым кадром — вероятность, которую классификатор присваивает цифре «8».

n_frames = 10
pixel_path = latent.homotopy(eights[0], eights[1], n_frames)
code_path = decoder.predict(latent.homotopy(codes[0], codes[1], n_frames), verbose=0)

scores = {}
for label, frames in (("пространство пикселей", pixel_path), ("пространство кодов", code_path)):
    probabilities = reader.predict(frames, verbose=0)
    as_eight = probabilities.argmax(axis=1) == 8
    scores[label] = probabilities[:, 8]
    print(
        f"{label}: кадров, принятых за 8: {as_eight.sum()} из {n_frames}; вероятность 8: "
        f"минимум {probabilities[:, 8].min():.3f}, в среднем {probabilities[:, 8].mean():.3f}"
    )

plotting.plot_digits(
    pixel_path,
    code_path,
    captions=[
        [f"{p:.2f}" for p in scores["пространство пикселей"]],
        [f"{p:.2f}" for p in scores["пространство кодов"]],
    ],
)

# %%
# Верхний ряд — путь в пространстве пикселей, нижний — путь в пространстве кодов.
# Классификатор относит к восьмеркам декодированные кадры пути в пространстве кодов,
# почти все — без колебаний (их число — в строке выше: при бюджете статьи один тонкий
# средний кадр он принимает за тройку, а восьмерке присваивает там вероятность 0,4), и
# это подкрепляет оценку статьи на глаз. Но к восьмеркам он относит и кадры пути в
# пространстве пикселей, хотя их средние кадры — это две восьмерки, наложенные друг на
# друга, а не цифра, которую кто-нибудь нарисовал бы: классификатор должен выбрать одну
# из десяти цифр, а смесь двух восьмерок все равно ближе к восьмерке, чем к чему-либо
# еще. Поэтому по классификатору нельзя определить, принадлежит ли кадр генеральной
# совокупности цифр.
#
# Насколько далеко кадр лежит от многообразия цифр, можно измерить иначе. Кадр на этом
# многообразии автоэнкодер, который его выучил, воспроизводит хорошо; кадр вне его —
# нет. Ошибка восстановления каждого кадра (бинарная кросс-энтропия на пиксель, та же
# функция потерь, что при обучении) по сравнению с ошибкой на настоящих тестовых
# восьмерках:


def reconstruction_loss(images):
    return latent.image_reconstruction_loss(images, autoencoder.predict(images, verbose=0))


print(f"настоящие тестовые восьмерки: {reconstruction_loss(x_test[y_test == 8][:500]).mean():.4f}")
for label, frames in (("пространство пикселей", pixel_path), ("пространство кодов", code_path)):
    errors = reconstruction_loss(frames)
    print(f"{label}: средние кадры {errors[3:7].mean():.4f}, концы {errors[[0, -1]].mean():.4f}")

# %%
# Средние кадры пути в пространстве пикселей воспроизводятся заметно хуже настоящих
# восьмерок, а кадры пути в пространстве кодов — намного лучше, хотя и не так хорошо,
# как настоящие восьмерки: по этой мере путь в пространстве пикселей в середине покидает
# многообразие цифр, а путь в пространстве кодов остается намного ближе к нему.
#
# Анимация
# --------
#
# Снова путь в пространстве кодов, медленно, в 40 кадрах: одна восьмерка превращается в
# другую, ни на миг не переставая быть восьмеркой.

frames = decoder.predict(latent.homotopy(codes[0], codes[1], 40), verbose=0)
animation = plotting.animate_frames(frames, interval=100)

# %%
# Кривые обучения
# ---------------
#
# Функция потерь автоэнкодера на обучающих и на тестовых изображениях по эпохам; затем —
# классификатора.

plotting.plot_training_curves({"conv_ae": conv.history})

# %%

plotting.plot_training_curves({"digit_classifier": reader_run.history})

# %%
# Суть на одной картинке
# ----------------------
#
# Кадры обоих путей через один (сверху — путь в пространстве пикселей, снизу — в
# пространстве кодов), нарисованные так, чтобы их было легко разглядеть и в уменьшенном
# виде: это картинка карточки урока.

plotting.plot_digits(pixel_path[::2], code_path[::2])

plt.show()

# sphinx_gallery_thumbnail_number = -1
# sphinx_gallery_english_sha256 = "639bfa5503569a8ff43233c09c0e410097b7e80110245dcac6714ac7274be682"
